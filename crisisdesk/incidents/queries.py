"""Reading incidents: one incident, the board, the API list, timelines, playbook suggestions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from .. import clock
from ..accounts.models import User
from ..database import get_by_id
from ..errors import NotFound
from ..extensions import db
from ..library.store import get_library
from ..timeline.models import TimelineEvent
from .models import STATUS_RANK, EscalationStep, Incident
from .permissions import require_reader


def get_incident(incident_id, *, actor) -> Incident:
    """The incident, for anyone with a role; NotFound otherwise."""
    require_reader(actor)
    incident = get_by_id(Incident, incident_id)
    if incident is None:
        raise NotFound("unknown_incident", _("There is no such incident."))
    return incident


# Built once: an alias made per request costs more to compile than the query takes to run.
OPENER, LEAD = aliased(User, name="opener"), aliased(User, name="lead")


@dataclass
class Filters:
    status: str = ""
    severity: int | None = None
    q: str = ""


def _filtered(query, filters: Filters):
    if filters.status:
        query = query.where(Incident.status == filters.status)
    if filters.severity:
        query = query.where(Incident.severity == filters.severity)
    if filters.q:
        pattern = "%" + re.sub(r"([%_\\])", r"\\\1", filters.q.strip()[:100]) + "%"
        query = query.where(
            or_(
                Incident.title.ilike(pattern, escape="\\"),
                Incident.summary.ilike(pattern, escape="\\"),
                Incident.ref.ilike(pattern, escape="\\"),
            )
        )
    return query


def board(filters: Filters, after: list | None, limit: int, *, actor) -> list:
    """Live incidents first, then by severity and age; `limit + 1` light rows from after the cursor."""
    require_reader(actor)
    query = _filtered(
        select(
            Incident.id,
            Incident.ref,
            Incident.title,
            Incident.severity,
            Incident.status,
            Incident.status_rank,
            Incident.opened_at,
            LEAD.display_name.label("lead_name"),
        ).outerjoin(LEAD, LEAD.id == Incident.lead_id),
        filters,
    )
    if after is not None:
        rank, severity, opened_at, incident_id = after
        query = query.where(
            tuple_(Incident.status_rank, Incident.severity, Incident.opened_at, Incident.id)
            > tuple_(rank, severity, opened_at, incident_id)
        )
    query = query.order_by(Incident.status_rank, Incident.severity, Incident.opened_at, Incident.id)
    return list(db.session.execute(query.limit(limit + 1)))


def newest(filters: Filters, after: list | None, limit: int, *, actor) -> list:
    """Newest first (the API list); `limit + 1` light rows (no ORM objects) from after the cursor."""
    require_reader(actor)
    opener, lead = OPENER, LEAD
    query = _filtered(
        select(
            Incident.id,
            Incident.ref,
            Incident.title,
            Incident.summary,
            Incident.severity,
            Incident.status,
            Incident.playbook_slug,
            Incident.channels,
            Incident.opened_at,
            Incident.detected_at,
            opener.username.label("opened_by_name"),
            lead.username.label("lead_name"),
        )
        .join(opener, opener.id == Incident.opened_by_id)
        .outerjoin(lead, lead.id == Incident.lead_id),
        filters,
    )
    if after is not None:
        opened_at, incident_id = after
        query = query.where(
            or_(
                Incident.opened_at < opened_at,
                and_(Incident.opened_at == opened_at, Incident.id < incident_id),
            )
        )
    query = query.order_by(Incident.opened_at.desc(), Incident.id.desc())
    return list(db.session.execute(query.limit(limit + 1)))


def overdue_counts(incident_ids: list[int]) -> dict[int, int]:
    """Overdue steps per incident, in one query."""
    if not incident_ids:
        return {}
    rows = db.session.execute(
        select(EscalationStep.incident_id, func.count())
        .where(
            EscalationStep.incident_id.in_(incident_ids),
            EscalationStep.status.in_(("pending", "notified")),
            EscalationStep.due_at <= clock.now(),
        )
        .group_by(EscalationStep.incident_id)
    )
    return dict(rows.all())


def next_due(incident_ids: list[int]) -> datetime | None:
    """When the next of these incidents' open escalation steps falls due (None: none will)."""
    if not incident_ids:
        return None
    return db.session.scalar(
        select(func.min(EscalationStep.due_at)).where(
            EscalationStep.incident_id.in_(incident_ids),
            EscalationStep.status.in_(("pending", "notified")),
            EscalationStep.due_at > clock.now(),
        )
    )


def events(
    incident: Incident,
    *,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int = 50,
    newest_first: bool = False,
) -> list[TimelineEvent]:
    """A page of the incident's timeline."""
    query = select(TimelineEvent).where(TimelineEvent.incident_id == incident.id)
    if after_seq is not None:
        query = query.where(TimelineEvent.seq > after_seq)
    if before_seq is not None:
        query = query.where(TimelineEvent.seq < before_seq)
    order = TimelineEvent.seq.desc() if newest_first else TimelineEvent.seq
    return list(db.session.scalars(query.order_by(order).limit(limit)))


def suggest_playbooks(text: str, language: str, limit: int = 3) -> list[tuple[int, object]]:
    """Playbooks whose triggers match the words of `text`, best first (in the user's language first)."""
    words = set(re.findall(r"\w{3,}", (text or "").casefold()))
    if not words:
        return []
    scored = []
    for playbook in get_library().playbooks.values():
        score = 0
        for trigger in playbook.triggers:
            trigger_words = set(re.findall(r"\w{3,}", trigger.casefold()))
            if trigger_words and trigger_words <= words:
                score += 3 * len(trigger_words)
            else:
                score += sum(
                    1 for word in trigger_words if any(w.startswith(word[:5]) for w in words)
                )
        if score:
            scored.append((score + (1 if playbook.language == language else 0), playbook))
    scored.sort(key=lambda pair: (-pair[0], pair[1].language != language, pair[1].title))
    return scored[:limit]


def status_rank(status: str) -> int:
    """Board position of a status."""
    return STATUS_RANK[status]
