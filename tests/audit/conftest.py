"""Timeline fixtures: a whole desk story whose rows the records check compares with its events."""

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.responses import service as responses
from crisisdesk.responses.models import ResponseRevision, Review
from crisisdesk.timeline import scopes

SOCIAL = "holding-social-en"
VALUES = {
    "issue": "disruption in online banking",
    "help_place": "on our website",
    "next_update": "14:30",
}
FREE = "We know about the disruption and are working on it."


@pytest.fixture(autouse=True)
def _toy_kind(monkeypatch):
    """A "toy" event stands for any kind; the registry (timeline/scopes.py) knows the desk's."""
    monkeypatch.setitem(scopes.HEADS_BY_KIND, "toy", ())


@pytest.fixture
def story(make_user, token_for, clock):
    """A whole desk story told through the services:
    sign-off, incident changes, reviews, publications.
    """
    olga, lena = make_user("olga", roles=["oncall"]), make_user("lena", roles=["legal"])
    max_ = make_user("max", roles=["management"])
    approval = library.approve_statement(
        SOCIAL, actor=lena, free_placeholders=["issue", "help_place"]
    )
    incident = incidents.open_incident(
        actor=olga,
        title="Outage",
        severity=2,
        playbook="it-provider-outage-en",
        summary="Online banking is down.",
    )
    incidents.update_incident(incident.id, actor=olga, title="Outage of online banking", severity=1)
    clock.advance(minutes=5)
    free = responses.draft_response(incident.id, actor=olga, channel="x", body=FREE)
    responses.submit_response(free.id, actor=olga)
    responses.reject_response(free.id, actor=lena, comment="Too vague.")
    responses.revise_response(free.id, FREE + " Next update at 14:30.", actor=olga)
    responses.submit_response(free.id, actor=olga)
    responses.approve_response(free.id, actor=lena, comment="Fine.")
    responses.publish_response(free.id, actor=olga, url="https://x.com/bank/status/1")
    held = responses.draft_response(
        incident.id, actor=olga, channel="x", statement=SOCIAL, values=VALUES
    )
    responses.publish_response(held.id, actor=olga)
    responses.retract_response(held.id, "Superseded.", actor=olga)
    revision = db.session.scalar(
        select(ResponseRevision).where(
            ResponseRevision.response_id == free.id, ResponseRevision.number == 2
        )
    )
    review = db.session.scalar(
        select(Review).where(Review.response_id == free.id, Review.decision == "approved")
    )
    return {
        "olga": olga,
        "max": max_,
        "incident": incident.id,
        "free": free.id,
        "held": held.id,
        "revision": revision.id,
        "review": review.id,
        "approval": approval.id,
        "mh": token_for(max_),
    }
