"""An incident's regulatory clocks follow from its facts: decision, submissions, breach flag."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from crisisdesk.regulatory.clocks import Facts, Submission, clocks
from crisisdesk.regulatory.deadlines import Calendar

BERLIN = ZoneInfo("Europe/Berlin")
BANK = Calendar(BERLIN, "DE", "BY", "credit_institution")


def berlin(*parts) -> datetime:
    return datetime(*parts, tzinfo=BERLIN).astimezone(UTC)


AWARE = berlin(2026, 12, 1, 8, 0)  # a Tuesday
MAJOR = berlin(2026, 12, 1, 10, 0)


def kinds_and_status(items):
    return [(clock.kind, clock.status) for clock in items]


def test_an_incident_not_classified_major_and_without_personal_data_runs_no_clock():
    assert clocks(Facts(AWARE), BANK, AWARE + timedelta(days=3)) == []


def test_classification_starts_the_initial_clock_and_each_submission_the_next():
    facts = Facts(AWARE, major_since=MAJOR)
    [initial] = clocks(facts, BANK, MAJOR)
    assert (initial.kind, initial.due_at, initial.status) == (
        "dora_initial",
        berlin(2026, 12, 1, 14, 0),
        "running",
    )
    sent = Submission("dora_initial", berlin(2026, 12, 1, 13, 30))
    facts = Facts(AWARE, major_since=MAJOR, submissions=(sent,))
    initial, intermediate = clocks(facts, BANK, berlin(2026, 12, 1, 13, 31))
    assert (initial.status, initial.met_at) == ("met", sent.submitted_at)
    assert intermediate.due_at == berlin(2026, 12, 4, 13, 30) and intermediate.status == "running"
    later = Submission("dora_intermediate", berlin(2026, 12, 3, 9, 0))
    update = Submission("dora_intermediate", berlin(2026, 12, 10, 9, 0))
    facts = Facts(AWARE, major_since=MAJOR, submissions=(sent, later, update))
    final = clocks(facts, BANK, berlin(2026, 12, 10, 10, 0))[2]
    # one month after the latest intermediate report: 10 January 2027 is a Sunday → Monday noon
    assert (final.kind, final.due_at) == ("dora_final", berlin(2027, 1, 11, 12, 0))


def test_a_clock_past_its_due_time_without_a_submission_is_overdue():
    facts = Facts(AWARE, major_since=MAJOR)
    assert kinds_and_status(clocks(facts, BANK, berlin(2026, 12, 1, 14, 0))) == [
        ("dora_initial", "running")
    ]
    assert kinds_and_status(clocks(facts, BANK, berlin(2026, 12, 1, 14, 0, 1))) == [
        ("dora_initial", "overdue")
    ]


def test_a_personal_data_breach_runs_its_own_72_hours_beside_dora():
    facts = Facts(AWARE, major_since=MAJOR, personal_data_breach=True)
    items = clocks(facts, BANK, MAJOR)
    assert kinds_and_status(items) == [("dora_initial", "running"), ("gdpr_art33", "running")]
    assert items[1].due_at == AWARE + timedelta(hours=72)
    done = Facts(
        AWARE,
        personal_data_breach=True,
        submissions=(Submission("gdpr_art33", berlin(2026, 12, 2, 8, 0)),),
    )
    assert kinds_and_status(clocks(done, BANK, berlin(2026, 12, 9))) == [("gdpr_art33", "met")]


def test_reclassified_not_major_stops_the_dora_clocks_but_not_the_gdpr_clock():
    facts = Facts(
        AWARE,
        major_since=MAJOR,
        reclassified_at=berlin(2026, 12, 1, 12, 0),
        personal_data_breach=True,
    )
    assert kinds_and_status(clocks(facts, BANK, berlin(2026, 12, 5))) == [
        ("dora_initial", "stopped"),
        ("gdpr_art33", "overdue"),
    ]
