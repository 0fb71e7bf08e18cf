"""Opening an incident: ref, playbook version, lead, checklist,
escalation plan, one event; bad input writes nothing.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from crisisdesk.errors import Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.library.store import get_library

from ..conftest import FIXED_NOW
from .conftest import API, OPENED, PLAYBOOK, events, incident_count, kinds

BODY = {"title": "Phishing wave", "severity": 1, "playbook": PLAYBOOK}


def assert_nothing_written():
    db.session.rollback()
    assert incident_count() == 0
    assert events(kind="incident_opened") == []


def test_refs_count_up_within_the_year(open_one):
    assert [open_one().ref for _ in range(2)] == ["CD-2026-0001", "CD-2026-0002"]


def test_incident_keeps_the_playbook_version_and_the_opener_leads(open_one, olga):
    incident = open_one(playbook="it-provider-outage-de")
    assert incident.playbook_slug == "it-provider-outage-de"
    assert (
        incident.playbook_version.sha256 == get_library().playbooks["it-provider-outage-de"].sha256
    )
    assert incident.lead_id == olga.id and incident.opened_by_id == olga.id
    assert [(a.role, a.user_id, a.renounced_at) for a in incident.assignments] == [
        ("lead", olga.id, None)
    ]


def test_checklist_is_copied_in_order_and_undone(open_one):
    incident = open_one()
    playbook = get_library().playbooks[PLAYBOOK]
    assert len(playbook.checklist) > 1
    assert [(item.item_key, item.text) for item in incident.checklist] == [
        (c.id, c.text) for c in playbook.checklist
    ]
    assert [item.position for item in incident.checklist] == list(range(len(playbook.checklist)))
    assert not any(item.done or item.done_by_id or item.done_at for item in incident.checklist)


@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_steps_follow_the_policy_of_the_severity(open_one, clock, severity):
    clock.advance(minutes=7)  # an opening time that is not a round hour
    incident = open_one(severity=severity)
    assert incident.opened_at == FIXED_NOW + timedelta(minutes=7)
    policy = get_library().playbooks[PLAYBOOK].escalation[severity]
    assert [
        (s.target_role, s.after_minutes, s.due_at, s.action, s.status) for s in incident.steps
    ] == [
        (
            p.target_role,
            p.after_minutes,
            incident.opened_at + timedelta(minutes=p.after_minutes),
            p.action,
            # a step the opening fulfils is the opener's from the start
            "acknowledged" if p.on_opening else "pending",
        )
        for p in policy
    ]
    taken = [s for s in incident.steps if s.status == "acknowledged"]
    assert taken and all(
        (s.acknowledged_by_id, s.acknowledged_at, s.after_minutes)
        == (incident.opened_by_id, incident.opened_at, 0)
        for s in taken
    )


def test_opening_writes_the_incident_and_the_step_it_fulfils(open_one):
    incident = open_one()
    assert kinds(incident.id) == OPENED
    data = events(incident.id)[0]
    assert data.actor_name == "olga"
    assert '"ref":"CD-2026-0001"' in data.data
    assert get_library().playbooks[PLAYBOOK].sha256 in data.data


def test_detected_at_defaults_to_now_and_may_be_earlier(open_one):
    assert open_one().detected_at == FIXED_NOW
    earlier = open_one(detected_at="2026-11-29T09:30:00+02:00")
    assert earlier.detected_at == datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
    assert earlier.opened_at == FIXED_NOW


def test_detected_a_few_seconds_ahead_counts_as_now(open_one):
    assert open_one(detected_at="2026-11-29T09:00:30Z").detected_at == FIXED_NOW


def test_api_open_returns_the_incident(client, olga, token_for, clock):
    response = client.post(
        API,
        json={
            **BODY,
            "summary": "Fake SMS",
            "channels": ["x", "sms"],
            "source_links": ["https://example.org/post/1"],
        },
        headers=token_for(olga),
    )
    assert response.status_code == 201
    body = response.json
    assert (body["ref"], body["status"], body["severity"], body["summary"]) == (
        "CD-2026-0001",
        "open",
        1,
        "Fake SMS",
    )
    assert body["playbook_version"] == get_library().playbooks[PLAYBOOK].sha256
    assert body["roles"] == {"lead": "olga"} and body["opened_by"] == "olga"
    assert body["channels"] == ["sms", "x"]
    assert body["source_links"] == ["https://example.org/post/1"]
    assert body["opened_at"] == body["detected_at"] == "2026-11-29T09:00:00Z"
    assert [s["due_at"] for s in body["escalations"]] == [
        "2026-11-29T09:00:00Z",
        "2026-11-29T09:15:00Z",
        "2026-11-29T09:15:00Z",
        "2026-11-29T09:30:00Z",
        "2026-11-29T10:00:00Z",
    ]
    assert [s["status"] for s in body["escalations"]][:2] == ["acknowledged", "pending"]
    db.session.rollback()
    assert kinds(body["id"]) == OPENED


@pytest.mark.parametrize(
    "change,field",
    [
        ({"playbook": "no-such-playbook"}, "playbook"),
        ({"severity": 0}, "severity"),
        ({"severity": 5}, "severity"),
        ({"severity": "high"}, "severity"),
        ({"severity": True}, "severity"),
        ({"title": ""}, "title"),
        ({"title": "  \t "}, "title"),
        ({"title": "x" * 10_000}, "title"),
        ({"detected_at": "2026-11-29T11:00:00Z"}, "detected_at"),
        ({"detected_at": "last tuesday"}, "detected_at"),
        ({"detected_at": "2026-11-29T08:00:00"}, "detected_at"),
        ({"channels": ["telegraph"]}, "channels"),
        ({"source_links": ["javascript:alert(1)"]}, "source_links"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(client, olga, token_for, clock, change, field):
    response = client.post(API, json={**BODY, **change}, headers=token_for(olga))
    assert response.status_code == 422
    assert response.json["error"]["field"] == field
    assert_nothing_written()


def test_malformed_json_is_400(client, olga, token_for, clock):
    response = client.post(
        API,
        data=b'{"title": "Phish',
        headers={**token_for(olga), "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"
    assert_nothing_written()


def test_no_token_is_401(client, olga, clock):
    assert client.post(API, json=BODY).status_code == 401
    assert_nothing_written()


@pytest.mark.parametrize("role", ["legal", "management"])
def test_only_oncall_and_admin_may_open(client, make_user, token_for, clock, role):
    response = client.post(API, json=BODY, headers=token_for(make_user("pat", roles=[role])))
    assert response.status_code == 403
    assert_nothing_written()


def test_admin_may_open(client, make_user, token_for, clock):
    response = client.post(API, json=BODY, headers=token_for(make_user("ada", roles=["admin"])))
    assert response.status_code == 201 and response.json["lead"] == "ada"


def test_service_refuses_before_writing(open_one, make_user):
    with pytest.raises(Forbidden):
        open_one(actor=make_user("lena", roles=["legal"]))
    with pytest.raises(Invalid) as caught:
        open_one(severity=9)
    assert caught.value.field == "severity"
    assert_nothing_written()


def test_superscript_digit_severity_is_422_not_500(client, olga, token_for, clock):
    response = client.post(API, json={**BODY, "severity": "²"}, headers=token_for(olga))
    assert response.status_code == 422
    assert_nothing_written()


def test_opening_costs_the_same_queries_with_1_or_30_incidents(app, olga, open_one):
    def statements_for_one_open() -> int:
        seen = []

        def counter(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            open_one(actor=olga)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return len(seen)

    open_one()
    with_one = statements_for_one_open()
    for _ in range(28):
        open_one()
    assert incident_count() == 30
    with_thirty = statements_for_one_open()
    assert with_one > 0
    assert with_thirty == with_one
