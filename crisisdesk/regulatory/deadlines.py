"""When each regulatory report is due, from the desk's timestamps, in the bank's zone and calendar.

DORA (Commission Delegated Regulation (EU) 2025/301, Art. 5): the initial notification within
4 hours of classifying an incident as major and at most 24 hours after becoming aware of it
(classified later than that: 4 hours after classification); the intermediate report within
72 hours of submitting the initial notification; the final report within one month of the
latest intermediate report. A deadline on a weekend or bank holiday may move to noon of the
next working day, except a credit institution's initial notification and intermediate report.
GDPR Art. 33: notify the supervisory authority within 72 hours of awareness, weekends included.

Durations in hours are elapsed time (a night with a clock change has 23 or 25 of them); the
month runs on the calendar, from the same wall-clock time in the bank's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

INITIAL_AFTER_CLASSIFICATION = timedelta(hours=4)
INITIAL_AT_MOST_AFTER_AWARENESS = timedelta(hours=24)
INTERMEDIATE_AFTER_INITIAL = timedelta(hours=72)
FINAL_AFTER_INTERMEDIATE = relativedelta(months=1)
GDPR_AFTER_AWARENESS = timedelta(hours=72)
#: where a deadline on a day off moves to
RELIEF_TIME = time(12, 0)
#: entity types that may not move the initial and intermediate deadlines off a day off
NO_RELIEF_FOR_EARLY_REPORTS = frozenset({"credit_institution"})
ENTITY_TYPES = ("credit_institution", "other")


@dataclass(frozen=True)
class Calendar:
    """The bank's zone, its state's bank holidays and what kind of financial entity it is."""

    zone: ZoneInfo
    country: str = "DE"
    subdivision: str | None = None
    entity_type: str = "credit_institution"
    _days_off: holidays.HolidayBase = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.entity_type not in ENTITY_TYPES:
            raise ValueError(f"entity_type must be one of {', '.join(ENTITY_TYPES)}")
        days_off = holidays.country_holidays(self.country, subdiv=self.subdivision)
        object.__setattr__(self, "_days_off", days_off)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday where the bank is."""
        return day.weekday() < 5 and day not in self._days_off

    def local(self, moment: datetime) -> datetime:
        """The moment on the bank's wall clock."""
        return moment.astimezone(self.zone)


def relieved(due: datetime, calendar: Calendar, allowed: bool = True) -> datetime:
    """A due time on a weekend or holiday moved to noon of the next working day (if allowed)."""
    day = calendar.local(due).date()
    if not allowed or calendar.is_working_day(day):
        return due
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, RELIEF_TIME, tzinfo=calendar.zone).astimezone(UTC)


def _early_relief(calendar: Calendar) -> bool:
    return calendar.entity_type not in NO_RELIEF_FOR_EARLY_REPORTS


def dora_initial_due(aware_at: datetime, classified_at: datetime, calendar: Calendar) -> datetime:
    """The initial notification: 4 h after classification, capped at 24 h after awareness."""
    due = classified_at + INITIAL_AFTER_CLASSIFICATION
    cap = aware_at + INITIAL_AT_MOST_AFTER_AWARENESS
    if classified_at < cap:
        due = min(due, cap)
    return relieved(due, calendar, _early_relief(calendar))


def dora_intermediate_due(initial_submitted_at: datetime, calendar: Calendar) -> datetime:
    """The intermediate report: 72 h after the initial notification was submitted."""
    due = initial_submitted_at + INTERMEDIATE_AFTER_INITIAL
    return relieved(due, calendar, _early_relief(calendar))


def dora_final_due(latest_intermediate_at: datetime, calendar: Calendar) -> datetime:
    """The final report: one calendar month after the latest intermediate report."""
    local = calendar.local(latest_intermediate_at)
    wall = (local.replace(tzinfo=None) + FINAL_AFTER_INTERMEDIATE).replace(tzinfo=calendar.zone)
    return relieved(wall.astimezone(UTC), calendar)


def gdpr_art33_due(aware_at: datetime) -> datetime:
    """The notification to the data-protection authority: 72 h after awareness, no relief."""
    return aware_at + GDPR_AFTER_AWARENESS
