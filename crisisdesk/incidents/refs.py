"""Human references: CD-2026-0042, a gapless sequence per year, safe under concurrent opens."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import RefCounter

PREFIX = "CD"


def next_ref(year: int) -> str:
    """Take the next number of `year` inside the caller's transaction."""
    for _attempt in range(3):
        # UPDATE … RETURNING takes the row lock (PostgreSQL) or runs under the write lock (SQLite),
        # so two opens never read the same number.
        number = db.session.execute(
            update(RefCounter)
            .where(RefCounter.year == year)
            .values(last=RefCounter.last + 1)
            .returning(RefCounter.last)
        ).scalar()
        if number is not None:
            return f"{PREFIX}-{year}-{number:04d}"
        try:
            with db.session.begin_nested():
                db.session.add(RefCounter(year=year, last=0))
        except IntegrityError:
            continue  # another transaction created the year's counter first
    raise RuntimeError("could not take an incident number")  # pragma: no cover


def current_counter(year: int) -> int:
    """The last number handed out in `year` (0 if none)."""
    return db.session.scalar(select(RefCounter.last).where(RefCounter.year == year)) or 0
