"""The one clock. Everything asks `now()`; tests freeze and move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time, UTC and timezone-aware."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (tests only)."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    _frozen = at.astimezone(UTC)


def advance(**delta: float) -> datetime:
    """Move a frozen clock forward by a timedelta's keyword arguments (tests only)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    _frozen = _frozen + timedelta(**delta)
    return _frozen


def unfreeze() -> None:
    """Let the clock run again."""
    global _frozen
    _frozen = None
