"""Need-to-know incidents: only the lead, role holders, members and admins know they exist."""

import json

import pytest
from sqlalchemy import select

from crisisdesk.errors import Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.incidents import queries, restriction, roles, service
from crisisdesk.notify import service as notify
from crisisdesk.notify import worker
from crisisdesk.notify.models import Delivery, Notification
from crisisdesk.responses import service as responses
from crisisdesk.responses.transitions import get_response

from ..conftest import login
from .conftest import PLAYBOOK, events


@pytest.fixture
def secret(olga, make_user, clock):
    """A severity-1 misconduct case opened restricted by Olga, a response waiting for legal."""
    people = {
        "olga": olga,
        "otto": make_user("otto", roles=["oncall"]),
        "lena": make_user("lena", roles=["legal"]),
        "max": make_user("max", roles=["management"], email="max@bank.example"),
        "ada": make_user("ada", roles=["admin"]),
    }
    incident = service.open_incident(
        actor=olga,
        title="Kundenberater unter Verdacht",
        severity=1,
        playbook=PLAYBOOK,
        restricted=True,
        restriction_reason="Personalsache, Namen von Kunden",
    )
    draft = responses.draft_response(incident.id, actor=olga, channel="website", body="Text")
    responses.submit_response(draft.id, actor=olga)
    return {**people, "incident": incident, "response": draft}


def test_an_outsider_meets_an_incident_that_does_not_exist(client, secret, token_for):
    incident, otto = secret["incident"], secret["otto"]
    with pytest.raises(NotFound):
        queries.get_incident(incident.id, actor=otto)
    with pytest.raises(NotFound):
        queries.incident_facts(incident.id, actor=otto)
    with pytest.raises(NotFound):
        get_response(secret["response"].id, actor=otto)
    headers = token_for(otto)
    base = f"/api/v1/incidents/{incident.id}"
    for path in (
        base,
        f"{base}/timeline",
        f"{base}/postmortem",
        f"{base}/assessment",
        f"{base}/clocks",
        f"{base}/evidence-pack",
        f"{base}/responses",
        f"/api/v1/responses/{secret['response'].id}",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    assert client.get("/api/v1/incidents", headers=headers).json["items"] == []
    assert client.get("/api/v1/incidents?q=Verdacht", headers=headers).json["items"] == []
    assert client.get("/api/v1/incidents/restricted", headers=headers).json["items"] == []
    login(client, "otto")
    for path in (
        f"/incidents/{incident.id}",
        f"/incidents/{incident.id}/postmortem",
        f"/incidents/{incident.id}/events.json",
        f"/incidents/{incident.id}/said",
        f"/incidents/{incident.id}/regulatory",
        f"/responses/{secret['response'].id}",
    ):
        assert client.get(path).status_code == 404, path
    board = client.get("/?q=Verdacht").get_data(as_text=True)
    assert "Kundenberater" not in board and incident.ref not in board


def test_its_lead_members_role_holders_and_admins_see_it(client, secret, token_for):
    incident = secret["incident"]
    for user in (secret["olga"], secret["ada"]):
        assert queries.get_incident(incident.id, actor=user).restricted
    restriction.add_member(incident.id, "otto", actor=secret["olga"])
    assert queries.get_incident(incident.id, actor=secret["otto"]).id == incident.id
    mine = client.get("/api/v1/incidents/restricted", headers=token_for(secret["otto"])).json
    assert [item["ref"] for item in mine["items"]] == [incident.ref]
    login(client, "otto")
    board = client.get("/").get_data(as_text=True)
    assert 'id="restricted"' in board and "Kundenberater" in board
    restriction.remove_member(incident.id, "otto", actor=secret["olga"])
    with pytest.raises(NotFound):
        queries.get_incident(incident.id, actor=secret["otto"])
    roles.assign_role(incident.id, "legal_reviewer", "lena", actor=secret["olga"])
    assert queries.get_incident(incident.id, actor=secret["lena"]).id == incident.id


def test_restricting_is_the_keepers_logged_decision_with_a_reason(secret, open_one):
    olga, otto = secret["olga"], secret["otto"]
    other = open_one(title="Phishing")
    with pytest.raises(Invalid) as refused:
        restriction.set_restricted(other.id, True, "", actor=olga)
    assert refused.value.field == "reason"
    db.session.rollback()
    with pytest.raises(Forbidden):
        restriction.set_restricted(other.id, True, "Kundendaten", actor=otto)
    restriction.set_restricted(other.id, True, "Kundendaten im Screenshot", actor=olga)
    restriction.set_restricted(other.id, False, "Screenshot geschwärzt", actor=secret["ada"])
    changes = [json.loads(e.data) for e in events(other.id, "restriction_changed")]
    assert changes == [
        {"restricted": True, "reason": "Kundendaten im Screenshot"},
        {"restricted": False, "reason": "Screenshot geschwärzt"},
    ]
    assert queries.get_incident(other.id, actor=otto).restricted is False


def test_nobody_outside_is_told_and_webhooks_hear_only_when_chosen(secret, clock):
    notify.add_webhook("https://hooks.example/all", "0123456789abcdef")
    notify.add_webhook("https://hooks.example/hr", "0123456789abcdef", restricted_events=True)
    clock.advance(minutes=20)
    worker.tick()
    db.session.rollback()
    incident_id = secret["incident"].id
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.incident_id == incident_id)
        )
    )
    assert secret["max"].id not in told and secret["lena"].id not in told
    hooks = set(
        db.session.scalars(select(Delivery.webhook_id).where(Delivery.webhook_id.is_not(None)))
    )
    assert hooks == {2}


def test_legal_outside_does_not_see_its_response_in_the_queue(client, secret):
    from crisisdesk.responses.queries import review_queue

    assert review_queue(actor=secret["lena"]) == []
    roles.assign_role(secret["incident"].id, "legal_reviewer", "lena", actor=secret["olga"])
    assert [r.id for r, _i in review_queue(actor=secret["lena"])] == [secret["response"].id]


def test_the_dashboard_counts_it_and_lists_nothing_of_it(client, secret):
    login(client, "max")
    client.post("/language", data={"language": "en"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Kundenberater" not in page and secret["incident"].ref not in page
    assert "1 restricted incident (need to know) is live as well." in page
