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
VALUES = {"issue": "disruption in online banking", "next_update": "14:30"}


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
    return library.approve_statement(SOCIAL, actor=lena, free_placeholders=["issue"])


@pytest.fixture
def api(client):
    """api(method, path, user_headers, json=None) → Flask test response."""

    def call(method, path, headers, json=None):
        return getattr(client, method)(API + path, headers=headers, json=json)

    return call


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
