"""The on-call iCalendar feed: one event per shift, in UTC, with UIDs that stay put."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from crisisdesk.people.ical import shifts_calendar
from crisisdesk.people.rotation import Shift

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
LEGAL = "Rechtsbereitschaft Würzburg"
SOCIAL = "Social-Media-Bereitschaft"


def berlin(*parts) -> datetime:
    """A moment on a Berlin wall clock, as the desk stores it (UTC)."""
    return datetime(*parts, tzinfo=BERLIN).astimezone(UTC)


SHIFTS = [
    (LEGAL, Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 8), False)),
    (LEGAL, Shift("ben", berlin(2026, 7, 7, 8), berlin(2026, 7, 7, 12), True)),
    (SOCIAL, Shift("anna", berlin(2026, 10, 24, 8), berlin(2026, 10, 25, 8), False)),
]


def events(feed: bytes) -> list:
    return Calendar.from_ical(feed).walk("VEVENT")


def test_every_shift_becomes_one_event_in_utc():
    feed = shifts_calendar(SHIFTS, calendar_name="Bereitschaften", stamp=STAMP)
    calendar = Calendar.from_ical(feed)
    assert str(calendar["X-WR-CALNAME"]) == "Bereitschaften"
    assert str(calendar["VERSION"]) == "2.0"
    found = events(feed)
    assert len(found) == 3
    assert [str(e["SUMMARY"]) for e in found] == [LEGAL, LEGAL, SOCIAL]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in found] == [
        (s.starts, s.ends) for _, s in SHIFTS
    ]
    assert all(e.decoded("DTSTART").utcoffset().total_seconds() == 0 for e in found)
    # the autumn clock change: 08:00 CEST to 08:00 CET, written as Z times
    assert b"DTSTART:20261024T060000Z" in feed and b"DTEND:20261025T070000Z" in feed
    assert [e.decoded("DTSTAMP") for e in found] == [STAMP] * 3


def test_overrides_are_marked_and_the_person_is_named():
    found = events(shifts_calendar(SHIFTS, calendar_name="Bereitschaften", stamp=STAMP))
    assert [str(e["X-CRISISDESK-OVERRIDE"]) for e in found] == ["FALSE", "TRUE", "FALSE"]
    assert [str(e["X-CRISISDESK-USER"]) for e in found] == ["anna", "ben", "anna"]


def test_uids_are_unique_and_the_same_input_gives_the_same_bytes():
    feed = shifts_calendar(SHIFTS, calendar_name="Bereitschaften", stamp=STAMP)
    uids = [str(e["UID"]) for e in events(feed)]
    assert len(set(uids)) == 3
    assert all(uid.endswith("@crisisdesk") for uid in uids)
    assert shifts_calendar(SHIFTS, calendar_name="Bereitschaften", stamp=STAMP) == feed
    # a later refresh changes DTSTAMP only, so clients update the events instead of adding
    later = shifts_calendar(SHIFTS, calendar_name="Bereitschaften")
    assert [str(e["UID"]) for e in events(later)] == uids
    # the UID follows duty, person and start, not the end or the position in the feed
    moved = [(LEGAL, Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 9), False))]
    assert str(events(shifts_calendar(moved, calendar_name="x"))[0]["UID"]) == uids[0]
    other = shifts_calendar(SHIFTS[:1], calendar_name="x", uid_domain="desk.example")
    assert str(events(other)[0]["UID"]) == uids[0].replace("crisisdesk", "desk.example")


def test_umlauts_in_duty_titles_and_calendar_names_survive():
    feed = shifts_calendar(SHIFTS, calendar_name="Bereitschaften Würzburg", stamp=STAMP)
    assert "Rechtsbereitschaft Würzburg".encode() in feed
    calendar = Calendar.from_ical(feed)
    assert str(calendar["X-WR-CALNAME"]) == "Bereitschaften Würzburg"
    assert str(events(feed)[0]["SUMMARY"]) == "Rechtsbereitschaft Würzburg"


def test_an_empty_rota_gives_an_empty_calendar_that_parses():
    feed = shifts_calendar([], calendar_name="Bereitschaften", stamp=STAMP)
    assert feed.startswith(b"BEGIN:VCALENDAR\r\n") and feed.endswith(b"END:VCALENDAR\r\n")
    assert events(feed) == []
