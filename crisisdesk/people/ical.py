"""On-call shifts as an iCalendar (RFC 5545) feed that calendar apps can subscribe to.

Times go out in UTC so no client has to know the bank's zone. Each event's UID is a hash of
the duty, the person and the start, so a client refreshing the feed updates an event instead
of duplicating it, and a shift that moves gets a new one. Feed whole shifts (as on_duty and
next_shifts give them): a shift cut at a window's edge would take its UID from the cut start.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from icalendar import Calendar, Event

from crisisdesk import clock
from crisisdesk.people.rotation import Shift

PRODID = "-//CrisisDesk//On-call rotas//EN"
#: marks shifts that come from an override (a swap), not from the rota, for clients that care
OVERRIDE_PROPERTY = "X-CRISISDESK-OVERRIDE"
USER_PROPERTY = "X-CRISISDESK-USER"


def shift_uid(duty: str, shift: Shift, uid_domain: str = "crisisdesk") -> str:
    """A UID that stays the same for the same duty, person and start."""
    key = "\x1f".join((duty, shift.user, shift.starts.astimezone(UTC).isoformat()))
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@{uid_domain}"


def shifts_calendar(
    shifts: list[tuple[str, Shift]],
    *,
    calendar_name: str,
    uid_domain: str = "crisisdesk",
    stamp: datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per (duty title, shift); `stamp` fixes DTSTAMP."""
    stamp = (stamp or clock.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # NAME is RFC 7986; X-WR-CALNAME is what older clients read
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    for duty, shift in shifts:
        event = Event()
        event.add("uid", shift_uid(duty, shift, uid_domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.starts.astimezone(UTC))
        event.add("dtend", shift.ends.astimezone(UTC))
        event.add("summary", duty)
        event.add(USER_PROPERTY, shift.user)
        event.add(OVERRIDE_PROPERTY, "TRUE" if shift.override else "FALSE")
        calendar.add_component(event)
    return calendar.to_ical()
