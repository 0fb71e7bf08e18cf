"""The worker's regulatory reminders: before each report falls due, and once when it is overdue.

Each reminder has a key (incident, clock, due time, lead); the first worker to insert the key
raises the reminder event, so two workers never remind twice. A due time that moves (the
awareness time corrected, a later intermediate report) is a new clock with reminders of its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from .. import clock
from ..database import begin_write, insert_ignore
from ..extensions import db
from ..timeline import append_event
from .clocks import Clock
from .models import ClockReminder
from .submissions import all_running_clocks

OVERDUE = "overdue"


def lead_due(running: Clock, leads: list[int], now: datetime) -> str | None:
    """The reminder a clock is owed now: "overdue", the smallest lead passed, or None.

    Only the most urgent one: a worker that was down through the 60-minute mark and wakes
    15 minutes before the deadline sends the 15-minute reminder alone.
    """
    if now > running.due_at:
        return OVERDUE
    passed = [m for m in leads if now >= running.due_at - timedelta(minutes=m)]
    return str(min(passed)) if passed else None


def reminder_key(incident_id: int, running: Clock, lead: str) -> str:
    """The once-only key of one reminder."""
    return f"{incident_id}:{running.kind}:{running.due_at.isoformat()}:{lead}"


def raise_clock_reminders() -> int:
    """Append one `regulatory_reminder` per clock and lead time reached; return how many."""
    now = clock.now()
    leads = list(current_app.config["REGULATORY_REMINDER_MINUTES"])
    owed = []
    # a closed incident's reports are still owed to the authority: closed ones count too
    for incident, running in all_running_clocks(now):
        lead = lead_due(running, leads, now)
        if lead is not None:
            owed.append((incident.id, running, lead))
    db.session.rollback()
    raised = 0
    for incident_id, running, lead in owed:
        begin_write()
        keys = [reminder_key(incident_id, running, lead)]
        # the leads already passed are marked sent too, so a slower lead never follows a faster
        if lead != OVERDUE:
            keys += [reminder_key(incident_id, running, str(m)) for m in leads if m > int(lead)]
        if not insert_ignore(ClockReminder, "key", key=keys[0], sent_at=now):
            db.session.rollback()
            continue
        for key in keys[1:]:
            insert_ignore(ClockReminder, "key", key=key, sent_at=now)
        append_event(
            "regulatory_reminder",
            actor=None,
            incident_id=incident_id,
            data={"clock": running.kind, "due_at": running.due_at.isoformat(), "lead": lead},
        )
        db.session.commit()
        raised += 1
    return raised
