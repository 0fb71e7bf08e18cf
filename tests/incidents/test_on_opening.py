"""Steps an opening fulfils are the opener's at once; an alert's opening leaves them to people."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from crisisdesk.audit.runs import verify_and_record
from crisisdesk.incidents import alerts, escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.queries import get_incident, overdue_counts
from crisisdesk.library.store import get_library
from crisisdesk.review import metrics
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.describe import describe

from ..conftest import login
from .conftest import API, OPENED, PLAYBOOK, events, first_pending, kinds


def _policy(severity: int):
    return escalation.keyed(get_library().playbooks[PLAYBOOK].escalation[severity])


def _fulfilled(severity: int) -> list[int]:
    return [step.after_minutes for _key, step in _policy(severity) if step.on_opening]


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
        assert "mit dem Eröffnen des Vorfalls übernommen" in describe(event)


def _open_through(way, client, olga, token_for) -> int:
    """Open a severity-1 incident as olga through the desk's form or the API; its id."""
    fields = {"title": "Phishing wave", "severity": "1", "playbook": PLAYBOOK}
    if way == "api":
        response = client.post(API, json={**fields, "severity": 1}, headers=token_for(olga))
        assert response.status_code == 201
        return response.json["id"]
    login(client, "olga")
    response = client.post("/incidents/new", data=fields)
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.mark.parametrize("way", ["form", "api"])
def test_opening_through_the_form_or_the_api_takes_on_the_step(way, client, olga, token_for, clock):
    incident_id = _open_through(way, client, olga, token_for)
    incident = get_incident(incident_id, actor=olga)
    fulfilled = {key for key, step in _policy(1) if step.on_opening}
    taken = [s for s in incident.steps if s.status == "acknowledged"]
    assert fulfilled and {s.key for s in taken} == fulfilled
    assert all(s.status == "pending" for s in incident.steps if s.key not in fulfilled)
    assert {(s.acknowledged_by_id, s.acknowledged_at) for s in taken} == {
        (olga.id, incident.opened_at)
    }
    assert kinds(incident_id) == ["incident_opened"] + ["escalation_acknowledged"] * len(taken)
    written = [decoded_data(e) for e in events(incident_id, "escalation_acknowledged")]
    assert written == [
        {
            "step": s.id,
            "target_role": s.target_role,
            "due_at": s.due_at.isoformat().replace("+00:00", "Z"),
            "late_s": 0,
            "on_opening": True,
        }
        for s in taken
    ]
    opened = events(incident_id, "incident_opened")[0]
    assert {(e.actor_id, e.at) for e in events(incident_id, "escalation_acknowledged")} == {
        (olga.id, opened.at)
    }


def _overdue_marks(html: str) -> int:
    """Server-side overdue marks and shown overdue badges (not the script's hidden ones)."""
    marked = re.findall(r'class="[^"]*\bstep-overdue\b[^"]*"', html)
    return len(marked) + html.count('<span class="badge text-bg-danger">overdue</span>')


def test_a_just_opened_incident_is_overdue_neither_in_the_room_nor_on_the_board(
    client, olga, token_for, clock
):
    incident_id = _open_through("form", client, olga, token_for)
    assert escalation.claim_due_steps() == []  # the worker finds nothing due at the opening minute
    room = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert _overdue_marks(room) == 0
    # the first screen offers the first step still open, not the one the opening took on
    first = first_pending(get_incident(incident_id, actor=olga))
    now_card = room.split('id="now"', 1)[1].split("</section>", 1)[0]
    assert f"/incidents/{incident_id}/steps/{first.id}/ack" in now_card
    board = client.get("/").get_data(as_text=True)
    assert "Phishing wave" in board and not re.search(r"steps? overdue", board)
    assert overdue_counts([incident_id]) == {}


def test_an_alert_opened_incident_is_overdue_once_the_worker_notified_it(client, olga, clock):
    outcome = alerts.receive_alert(
        actor=olga, dedupe_key="mon-2", title="Phishing mails", severity=1, playbook=PLAYBOOK
    )
    minute_zero = [s for s in outcome.incident.steps if s.after_minutes == 0]
    assert len(escalation.claim_due_steps()) == len(minute_zero) > 0
    login(client, "olga")
    room = client.get(f"/incidents/{outcome.incident.id}").get_data(as_text=True)
    # each notified step in the list and its badge, and the next step on the first screen
    assert _overdue_marks(room) == 2 * len(minute_zero) + 1
    assert overdue_counts([outcome.incident.id]) == {outcome.incident.id: len(minute_zero)}
    assert "step overdue" in client.get("/").get_data(as_text=True)
