"""Steps an opening fulfils are the opener's at once; an alert's opening leaves them to people."""

from __future__ import annotations

from flask_babel import force_locale

from crisisdesk.audit.runs import verify_and_record
from crisisdesk.incidents import alerts, escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.queries import get_incident, overdue_counts
from crisisdesk.library.store import get_library
from crisisdesk.review import metrics
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.describe import describe

from .conftest import OPENED, PLAYBOOK, events, kinds


def _fulfilled(severity: int) -> list[int]:
    policy = get_library().playbooks[PLAYBOOK].escalation[severity]
    return [step.after_minutes for step in policy if step.on_opening]


def test_a_person_opening_takes_on_exactly_the_steps_the_opening_fulfils(open_one, olga, clock):
    for severity in (1, 2, 3, 4):
        incident = open_one(severity=severity)
        taken = [s for s in incident.steps if s.status == "acknowledged"]
        assert [s.after_minutes for s in taken] == _fulfilled(severity) == [0]
        assert {(s.acknowledged_by_id, s.acknowledged_at) for s in taken} == {
            (olga.id, incident.opened_at)
        }
        assert kinds(incident.id) == OPENED
        data = decoded_data(events(incident.id, "escalation_acknowledged")[0])
        assert data["on_opening"] is True and data["late_s"] == 0
        assert data["step"] == taken[0].id
    assert verify_and_record()["ok"]  # the replay agrees with the tables


def test_nothing_is_overdue_at_minute_zero_and_only_after_the_due_time(open_one, clock):
    incident = open_one(severity=1)
    assert escalation.claim_due_steps() == []  # no step of the opening minute is left to notify
    assert overdue_counts([incident.id]) == {}
    first = next(s for s in incident.steps if s.status == "pending")
    clock.freeze(first.due_at)
    assert not first.overdue(clock.now())  # due now is not yet overdue
    clock.advance(seconds=1)
    assert first.overdue(clock.now())


def test_an_alert_opening_leaves_the_minute_zero_step_to_the_people_on_call(olga, clock):
    outcome = alerts.receive_alert(
        actor=olga, dedupe_key="mon-1", title="Phishing mails", severity=1, playbook=PLAYBOOK
    )
    incident = outcome.incident
    minute_zero = [s for s in incident.steps if s.after_minutes == 0]
    assert minute_zero and {s.status for s in minute_zero} == {"pending"}
    assert "escalation_acknowledged" not in kinds(incident.id)
    assert [s.id for s in escalation.claim_due_steps()] == [s.id for s in minute_zero]


def test_raising_the_severity_keeps_the_step_the_opening_took_on(open_one, olga, clock):
    incident = open_one(severity=3)
    taken = next(s for s in incident.steps if s.status == "acknowledged")
    clock.advance(minutes=5)
    incidents.update_incident(incident.id, actor=olga, severity=1)
    again = next(s for s in get_incident(incident.id, actor=olga).steps if s.id == taken.id)
    assert (again.status, again.acknowledged_at) == ("acknowledged", incident.opened_at)


def test_the_post_mortem_counts_it_on_time(open_one, clock):
    incident = open_one(severity=1)
    clock.advance(minutes=1)
    figures = metrics.compute(metrics.from_rows(events(incident.id)), clock.now())
    assert (figures["escalations_overdue"], figures["escalations_on_time"]) == (0, 1)


def test_the_event_reads_as_taking_the_step_on(app, open_one):
    incident = open_one(severity=2)
    event = events(incident.id, "escalation_acknowledged")[0]
    with app.test_request_context(), force_locale("en"):
        assert describe(event) == "took on the escalation step for On call by opening the incident."
    with app.test_request_context(), force_locale("de"):
        assert "mit dem Eröffnen des Incidents übernommen" in describe(event)
