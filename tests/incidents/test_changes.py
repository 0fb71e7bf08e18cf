"""Changing an incident: severity re-plans steps, status
moves, title, roles, checklist, notes, permissions.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crisisdesk.accounts.service import set_active
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents.models import EscalationStep, Incident, RoleAssignment
from crisisdesk.library.store import get_library

from .conftest import API, OPENED, PLAYBOOK, kinds, last_data


@pytest.fixture
def incident(open_one):
    return open_one(severity=1)


@pytest.fixture
def headers(olga, token_for):
    return token_for(olga)


def steps_by_key(incident_id) -> dict[str, EscalationStep]:
    return {
        s.key: s
        for s in db.session.scalars(
            select(EscalationStep).where(EscalationStep.incident_id == incident_id)
        )
    }


def policy(severity) -> dict:
    return dict(escalation.keyed(get_library().playbooks[PLAYBOOK].escalation[severity]))


def reload(incident_id) -> Incident:
    db.session.rollback()
    return db.session.get(Incident, incident_id)


def test_lower_severity_replans_from_the_original_opening_time(
    client, incident, olga, headers, clock
):
    iid, opened_at = incident.id, incident.opened_at
    assert incident.steps[0].key == "oncall:0"  # taken on by olga's opening
    clock.advance(minutes=20)
    response = client.patch(f"{API}/{iid}", json={"severity": 3}, headers=headers)
    assert response.status_code == 200 and response.json["severity"] == 3
    db.session.rollback()
    steps, wanted = steps_by_key(iid), policy(3)
    assert (
        steps["oncall:0"].status == "acknowledged"
        and steps["oncall:0"].acknowledged_by_id == olga.id
    )
    for key in ("management:0", "legal:0"):
        assert (steps[key].status, steps[key].severity) == ("pending", 3)
        assert steps[key].due_at == opened_at + timedelta(minutes=wanted[key].after_minutes)
    assert steps["management:1"].status == steps["management:2"].status == "cancelled"
    assert kinds(iid).count("severity_changed") == 1
    assert last_data(iid, "severity_changed") == {
        "before": 1,
        "after": 3,
        "replanned": ["management:0", "legal:0"],
        "cancelled": ["management:1", "management:2"],
        "added": [],
    }


def test_higher_severity_adds_missing_steps(client, open_one, headers, clock):
    iid = open_one(severity=3).id
    opened_at = db.session.get(Incident, iid).opened_at
    clock.advance(minutes=45)
    assert client.patch(f"{API}/{iid}", json={"severity": 1}, headers=headers).status_code == 200
    db.session.rollback()
    steps, wanted = steps_by_key(iid), policy(1)
    assert set(steps) == set(wanted)
    assert all(
        steps[key].due_at == opened_at + timedelta(minutes=step.after_minutes)
        for key, step in wanted.items()
    )
    assert steps["management:1"].overdue(clock.now()) and not steps["management:2"].overdue(
        clock.now()
    )
    data = last_data(iid, "severity_changed")
    assert (data["added"], data["cancelled"]) == (["management:1", "management:2"], [])


def test_status_moves_forward_and_back(client, incident, headers):
    for status in ("monitoring", "resolved", "open"):
        response = client.patch(f"{API}/{incident.id}", json={"status": status}, headers=headers)
        assert response.status_code == 200 and response.json["status"] == status
    db.session.rollback()
    assert kinds(incident.id).count("status_changed") == 3
    assert last_data(incident.id, "status_changed") == {"before": "resolved", "after": "open"}


@pytest.mark.parametrize(
    "path,target,reason",
    [
        ([], "resolved", "bad_transition"),
        ([], "closed", "bad_transition"),
        (["monitoring", "resolved"], "closed", "needs_postmortem"),
    ],
)
def test_illegal_moves_are_409(client, incident, headers, path, target, reason):
    for status in path:
        assert (
            client.patch(
                f"{API}/{incident.id}", json={"status": status}, headers=headers
            ).status_code
            == 200
        )
    response = client.patch(f"{API}/{incident.id}", json={"status": target}, headers=headers)
    assert response.status_code == 409
    assert response.json["error"]["reason"] == reason
    assert reload(incident.id).status == (path[-1] if path else "open")


def test_unknown_status_is_422(client, incident, headers):
    response = client.patch(f"{API}/{incident.id}", json={"status": "done"}, headers=headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "status"


def test_status_of_the_wrong_type_is_422_not_500(client, incident, headers):
    response = client.patch(f"{API}/{incident.id}", json={"status": ["open"]}, headers=headers)
    assert response.status_code == 422


def test_valid_title_with_invalid_severity_writes_nothing(client, incident, headers):
    response = client.patch(
        f"{API}/{incident.id}", json={"title": "Renamed", "severity": 7}, headers=headers
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "severity"
    assert reload(incident.id).title == "Phishing wave"
    assert kinds(incident.id) == OPENED


def test_title_change_is_logged(client, incident, headers):
    response = client.patch(
        f"{API}/{incident.id}", json={"title": "  Phishing   via SMS "}, headers=headers
    )
    assert response.status_code == 200 and response.json["title"] == "Phishing via SMS"
    db.session.rollback()
    assert kinds(incident.id) == [*OPENED, "title_changed"]
    assert last_data(incident.id, "title_changed") == {
        "before": "Phishing wave",
        "after": "Phishing via SMS",
    }


def put_role(client, iid, role, user, headers):
    return client.put(f"{API}/{iid}/roles/{role}", json={"user": user}, headers=headers)


def test_spokesperson_is_assigned_and_reassigned(client, incident, headers, make_user, clock):
    sam, tom = make_user("sam", roles=["oncall"]), make_user("tom", roles=["oncall"])
    response = put_role(client, incident.id, "spokesperson", "sam", headers)
    assert response.status_code == 200
    assert response.json["roles"] == {"lead": "olga", "spokesperson": "sam"}
    clock.advance(minutes=10)
    response = put_role(client, incident.id, "spokesperson", "tom", headers)
    assert response.json["roles"] == {"lead": "olga", "spokesperson": "tom"}
    db.session.rollback()
    rows = db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.role == "spokesperson")
        .order_by(RoleAssignment.id)
    ).all()
    assert [(r.user_id, r.renounced_at) for r in rows] == [(sam.id, clock.now()), (tom.id, None)]
    assert last_data(incident.id, "role_assigned") == {
        "role": "spokesperson",
        "user": "tom",
        "previous": "sam",
    }


def test_legal_reviewer_must_hold_legal(client, incident, headers, make_user):
    make_user("sam", roles=["oncall"])
    make_user("lena", roles=["legal"])
    response = put_role(client, incident.id, "legal_reviewer", "sam", headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "user"
    assert (
        put_role(client, incident.id, "legal_reviewer", "lena", headers).json["roles"][
            "legal_reviewer"
        ]
        == "lena"
    )


def test_deactivated_or_unknown_user_cannot_take_a_role(client, incident, headers, make_user):
    sam = make_user("sam", roles=["oncall"])
    set_active(sam.id, False)
    for name in ("sam", "nobody"):
        response = put_role(client, incident.id, "scribe", name, headers)
        assert response.status_code == 422 and response.json["error"]["field"] == "user"
    db.session.rollback()
    assert "role_assigned" not in kinds(incident.id)


def test_unknown_incident_role_is_422(client, incident, headers):
    response = put_role(client, incident.id, "chief", "olga", headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "role"


def tick(client, iid, item, headers, done):
    return client.post(f"{API}/{iid}/checklist/{item}", json={"done": done}, headers=headers)


def test_checklist_tick_is_logged_once_and_untick_is_logged(client, incident, headers):
    item = incident.checklist[0].item_key
    response = tick(client, incident.id, item, headers, True)
    assert response.status_code == 200
    assert (response.json["done"], response.json["done_by"], response.json["done_at"]) == (
        True,
        "olga",
        "2026-11-29T09:00:00Z",
    )
    assert tick(client, incident.id, item, headers, True).json["done"] is True
    db.session.rollback()
    assert kinds(incident.id).count("checklist_done") == 1
    response = tick(client, incident.id, item, headers, False)
    assert (response.json["done"], response.json["done_by"]) == (False, None)
    db.session.rollback()
    assert kinds(incident.id)[-1] == "checklist_undone"
    assert last_data(incident.id, "checklist_undone")["item"] == item


def test_ticking_a_ticked_item_again_logs_nothing_and_ends_the_write(incident, olga):
    from crisisdesk.incidents import entries

    item = incident.checklist[0].item_key
    entries.set_checklist_item(incident.id, item, True, actor=olga)
    entries.set_checklist_item(incident.id, item, True, actor=olga)
    assert (
        not db.session().in_transaction()
    )  # SQLite's write lock is not kept by a change that made none
    assert kinds(incident.id).count("checklist_done") == 1


def test_checklist_bad_requests(client, incident, headers):
    assert tick(client, incident.id, "no-such-item", headers, True).status_code == 404
    response = tick(client, incident.id, incident.checklist[0].item_key, headers, "yes")
    assert response.status_code == 422 and response.json["error"]["field"] == "done"


def test_note_is_added_to_the_timeline(client, incident, headers):
    response = client.post(
        f"{API}/{incident.id}/notes", json={"text": " Press called. "}, headers=headers
    )
    assert response.status_code == 201
    assert (response.json["kind"], response.json["data"], response.json["actor"]) == (
        "note_added",
        {"text": "Press called."},
        "olga",
    )


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001, None])
def test_bad_notes_are_422(client, incident, headers, text):
    response = client.post(f"{API}/{incident.id}/notes", json={"text": text}, headers=headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "text"
    db.session.rollback()
    assert "note_added" not in kinds(incident.id)


def test_management_may_read_but_not_change(client, incident, make_user, token_for):
    headers = token_for(make_user("max", roles=["management"]))
    assert client.get(f"{API}/{incident.id}", headers=headers).status_code == 200
    response = client.patch(f"{API}/{incident.id}", json={"severity": 2}, headers=headers)
    assert response.status_code == 403
    assert reload(incident.id).severity == 1
