"""Incident fixtures: an on-call opener, incidents opened through the service, timeline helpers."""

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import service
from crisisdesk.incidents.models import Incident
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import TimelineEvent

#: a playbook that inherits the shared escalation policy (the steps these tests count)
PLAYBOOK = "double-charging-en"
API = "/api/v1/incidents"
#: what a person's opening writes: the incident, then the lead step it fulfils, taken on
OPENED = ["incident_opened", "escalation_acknowledged"]


def first_pending(incident):
    """The incident's first step nobody has acknowledged (the opening took the lead step)."""
    return next(step for step in incident.steps if step.status == "pending")


@pytest.fixture
def olga(app, make_user):
    """The on-call user who opens incidents (and so becomes their lead)."""
    return make_user("olga", roles=["oncall"])


@pytest.fixture
def open_one(olga, clock):
    """Factory: open_one(severity=…, actor=…) opens an incident through the service.

    The clock is frozen.
    """

    def factory(actor=None, **kwargs):
        kwargs.setdefault("title", "Phishing wave")
        kwargs.setdefault("severity", 1)
        kwargs.setdefault("playbook", PLAYBOOK)
        return service.open_incident(actor=actor or olga, **kwargs)

    return factory


def events(incident_id=None, kind=None) -> list[TimelineEvent]:
    """Timeline events in chain order, optionally of one incident and/or one kind, as committed."""
    db.session.rollback()  # see what requests and services committed, not a stale snapshot
    query = select(TimelineEvent).order_by(TimelineEvent.seq)
    if incident_id is not None:
        query = query.where(TimelineEvent.incident_id == incident_id)
    if kind is not None:
        query = query.where(TimelineEvent.kind == kind)
    return list(db.session.scalars(query))


def kinds(incident_id) -> list[str]:
    return [event.kind for event in events(incident_id)]


def last_data(incident_id, kind) -> dict:
    return decoded_data(events(incident_id, kind)[-1])


def incident_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Incident))
