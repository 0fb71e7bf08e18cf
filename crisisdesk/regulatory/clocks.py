"""The regulatory clocks of one incident, from its facts: which report is due when, and met when.

A pure function of the facts, so the room, the API, the dashboard strip and the worker's
reminders can never disagree about a due time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .deadlines import (
    Calendar,
    dora_final_due,
    dora_initial_due,
    dora_intermediate_due,
    gdpr_art33_due,
)

KINDS = ("dora_initial", "dora_intermediate", "dora_final", "gdpr_art33")


@dataclass(frozen=True)
class Submission:
    """A report the bank made to an authority (the desk records it; it does not submit)."""

    kind: str
    submitted_at: datetime


@dataclass(frozen=True)
class Facts:
    """What the clocks are computed from."""

    aware_at: datetime  #: the incident's detected-at, or as corrected with a reason
    major_since: datetime | None = None  #: when it was classified major; None: not major
    reclassified_at: datetime | None = None  #: when a major incident was found not major
    personal_data_breach: bool = False
    submissions: tuple[Submission, ...] = ()


@dataclass(frozen=True)
class Clock:
    kind: str
    due_at: datetime
    met_at: datetime | None
    status: str  #: running | met | overdue | stopped


def clocks(facts: Facts, calendar: Calendar, now: datetime) -> list[Clock]:
    """Every clock the facts start, in the order the reports fall due."""
    # a major incident reclassified as not major stops its DORA clocks (the reclassification is
    # itself reported); the GDPR clock runs on regardless
    stopped = facts.reclassified_at is not None
    result = []
    if facts.major_since is not None:
        due = dora_initial_due(facts.aware_at, facts.major_since, calendar)
        initial = _first(facts, "dora_initial")
        result.append(_clock("dora_initial", due, initial, now, stopped))
        if initial is not None:
            due = dora_intermediate_due(initial, calendar)
            met = _first(facts, "dora_intermediate")
            result.append(_clock("dora_intermediate", due, met, now, stopped))
            latest = _last(facts, "dora_intermediate")
            if latest is not None:
                due = dora_final_due(latest, calendar)
                met = _first(facts, "dora_final")
                result.append(_clock("dora_final", due, met, now, stopped))
    if facts.personal_data_breach:
        due = gdpr_art33_due(facts.aware_at)
        result.append(_clock("gdpr_art33", due, _first(facts, "gdpr_art33"), now, False))
    return result


def _first(facts: Facts, kind: str) -> datetime | None:
    return min((s.submitted_at for s in facts.submissions if s.kind == kind), default=None)


def _last(facts: Facts, kind: str) -> datetime | None:
    return max((s.submitted_at for s in facts.submissions if s.kind == kind), default=None)


def _clock(kind: str, due: datetime, met: datetime | None, now: datetime, stopped: bool) -> Clock:
    if met is not None:
        return Clock(kind, due, met, "met")
    if stopped:
        return Clock(kind, due, None, "stopped")
    return Clock(kind, due, None, "overdue" if now > due else "running")
