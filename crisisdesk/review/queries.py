"""What the post-mortem pages read from the timeline, filtered and paged in the database."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..timeline.models import TimelineEvent

#: the story's filters: name → the kinds they show, by prefix
FILTERS = {"responses": "response_", "escalations": "escalation_"}
STORY_PAGE = 200


def story_page(incident, shown: str, person: str, after: int) -> list:
    """One page of the story, oldest first, filtered in the database."""
    query = select(TimelineEvent).where(
        TimelineEvent.incident_id == incident.id, TimelineEvent.seq > after
    )
    if shown in FILTERS:
        query = query.where(TimelineEvent.kind.like(FILTERS[shown] + "%"))
    if person:
        query = query.where(TimelineEvent.actor_name == person)
    return list(db.session.scalars(query.order_by(TimelineEvent.seq).limit(STORY_PAGE + 1)))


def people_in(incident) -> list[str]:
    """Everyone who appears on the incident's timeline, by name."""
    return list(
        db.session.scalars(
            select(TimelineEvent.actor_name)
            .where(TimelineEvent.incident_id == incident.id)
            .distinct()
            .order_by(TimelineEvent.actor_name)
        )
    )


def all_events(incident) -> list[TimelineEvent]:
    """The incident's whole timeline, oldest first."""
    return db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == incident.id)
        .order_by(TimelineEvent.seq)
    ).all()
