"""Responses of a closed incident are a record: every response write is refused with 409."""

import pytest

from crisisdesk.accounts.service import find_user
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service
from crisisdesk.responses.models import Response
from crisisdesk.review import service as review

from ..conftest import login
from .conftest import SOCIAL, VALUES, events

FREE = "We know about the disruption and are working on it."


@pytest.fixture
def responses(incident, olga, lena, approved):
    """One response in each state a write starts from, then the incident is closed."""

    def draft(**kwargs):
        return service.draft_response(incident.id, actor=olga, channel="x", **kwargs).id

    made = {
        "draft": draft(body=FREE),
        "pending": draft(body=FREE),
        "approved": draft(body=FREE),
        "preapproved": draft(statement=SOCIAL, values=VALUES),
        "published": draft(body=FREE),
    }
    for key in ("pending", "approved", "published"):
        service.submit_response(made[key], actor=olga)
    for key in ("approved", "published"):
        service.approve_response(made[key], actor=lena)
    service.publish_response(made["published"], actor=olga)
    for status in ("monitoring", "resolved"):
        incidents.update_incident(incident.id, actor=olga, status=status)
    review.update_postmortem(incident.id, actor=olga, summary="Handled within the hour.")
    incidents.update_incident(incident.id, actor=olga, status="closed")
    return made


def writes(incident_id, made):
    return {
        "draft": (
            "post",
            f"/incidents/{incident_id}/responses",
            {"channel": "x", "body": FREE},
            "olga",
        ),
        "revise": ("patch", f"/responses/{made['draft']}", {"body": "Changed."}, "olga"),
        "submit": ("post", f"/responses/{made['draft']}/submit", None, "olga"),
        "approve": ("post", f"/responses/{made['pending']}/approve", {}, "lena"),
        "reject": ("post", f"/responses/{made['pending']}/reject", {"comment": "No."}, "lena"),
        "publish": ("post", f"/responses/{made['approved']}/publish", {}, "olga"),
        "publish_preapproved": ("post", f"/responses/{made['preapproved']}/publish", {}, "olga"),
        "retract": ("post", f"/responses/{made['published']}/retract", {"reason": "Late."}, "olga"),
    }


def snapshot() -> list[tuple]:
    db.session.rollback()
    rows = db.session.scalars(db.select(Response).order_by(Response.id))
    return [(r.id, r.status, r.revision, r.approved_revision, r.retracted_at) for r in rows]


@pytest.mark.parametrize(
    "write",
    ["draft", "revise", "submit", "approve", "reject", "publish", "publish_preapproved", "retract"],
)
def test_every_response_write_on_a_closed_incident_is_409(
    api, incident, responses, token_for, write
):
    method, path, body, username = writes(incident.id, responses)[write]
    headers = token_for(find_user(username))
    before, seq = snapshot(), len(events())
    reply = api(method, path, headers, json=body)
    assert reply.status_code == 409, reply.json
    assert (
        reply.json["error"]["reason"] == "closed"
        and reply.json["error"]["message"] == "This incident is closed."
    )
    assert snapshot() == before and len(events()) == seq


def test_the_response_page_of_a_closed_incident_offers_no_actions(client, responses):
    login(client, "olga")
    page = client.get(f"/responses/{responses['approved']}").get_data(as_text=True)
    assert "This incident is closed" in page
    assert "Record as published" not in page and "Save revision" not in page
    reply = client.post(f"/responses/{responses['draft']}/submit", data={}, follow_redirects=True)
    assert "This incident is closed." in reply.get_data(as_text=True)
    assert snapshot()[0][1] == "draft"
