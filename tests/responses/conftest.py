"""Response fixtures: an on-call drafter, a legal reviewer, an open incident, API helpers."""

import hashlib

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.responses.models import Response
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import TimelineEvent

from ..library.conftest import content  # noqa: F401 - a private content folder tests may change

API = "/api/v1"
SOCIAL = "holding-social-en"
VALUES = {
    "issue": "disruption in online banking",
    "help_place": "on our website",
    "next_update": "14:30",
}
FREE = "We know about the disruption and are working on it."
EDITED = "We know about the disruption in online banking and are working on it."


@pytest.fixture
def olga(app, make_user):
    """On call; opens the incident and so is its lead."""
    return make_user("olga", roles=["oncall"])


@pytest.fixture
def lena(app, make_user):
    """Legal reviewer."""
    return make_user("lena", roles=["legal"])


@pytest.fixture
def incident(olga, clock):
    return incidents.open_incident(
        actor=olga, title="Outage", severity=2, playbook="it-provider-outage-en"
    )


@pytest.fixture
def approved(lena, clock):
    """holding-social-en signed off by legal, its `issue` free.

    The filled text goes out as it stands.
    """
    return library.approve_statement(SOCIAL, actor=lena, free_placeholders=["issue", "help_place"])


@pytest.fixture
def api(client):
    """api(method, path, user_headers, json=None) → Flask test response."""

    def call(method, path, headers, json=None):
        return getattr(client, method)(API + path, headers=headers, json=json)

    return call


@pytest.fixture
def oh(olga, token_for):
    return token_for(olga)


@pytest.fixture
def lh(lena, token_for):
    return token_for(lena)


@pytest.fixture
def approved_free(api, oh, lh):
    """approved_free(incident, channel, audience, body) → id of a free text legal approved."""

    def make(incident, channel, audience, body):
        payload = {"channel": channel, "audience": audience, "body": body}
        reply = api("post", f"/incidents/{incident.id}/responses", oh, json=payload)
        assert reply.status_code == 201, reply.json
        number = reply.json["id"]
        for action, headers in (("submit", oh), ("approve", lh)):
            assert api("post", f"/responses/{number}/{action}", headers, json={}).status_code == 200
        return number

    return make


@pytest.fixture
def flow(api, incident, oh, lh):
    """Drive one response through the API: flow.draft(),
    flow.step("submit"), flow.to("approved")…
    """

    class Flow:
        id = None

        def draft(self, headers=oh, **payload):
            payload = payload or {"channel": "x", "body": FREE}
            reply = api("post", f"/incidents/{incident.id}/responses", headers, json=payload)
            assert reply.status_code == 201, reply.json
            self.id = reply.json["id"]
            return reply

        def step(self, action, headers=None, **payload):
            return api("post", f"/responses/{self.id}/{action}", headers or oh, json=payload)

        def revise(self, body, headers=None):
            return api("patch", f"/responses/{self.id}", headers or oh, json={"body": body})

        def get(self):
            return api("get", f"/responses/{self.id}", oh)

        def to(self, status):
            self.draft()
            if status != "draft":
                assert self.step("submit").status_code == 200
            if status in ("approved", "published"):
                assert self.step("approve", lh).status_code == 200
            if status == "rejected":
                assert self.step("reject", lh, comment="Too vague.").status_code == 200
            if status == "published":
                assert self.step("publish").status_code == 200
            return self

    return Flow()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def response_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def events(kind=None) -> list[TimelineEvent]:
    query = select(TimelineEvent).order_by(TimelineEvent.seq)
    if kind is not None:
        query = query.where(TimelineEvent.kind == kind)
    return list(db.session.scalars(query))


def response_events(response_id: int) -> list[tuple[str, dict]]:
    """(kind, data) of every event about one response, in chain order."""
    pairs = [
        (event.kind, decoded_data(event))
        for event in events()
        if event.kind.startswith("response_")
    ]
    return [(kind, data) for kind, data in pairs if data.get("response") == response_id]
