"""Reading incidents: one incident, the board, the API list, timelines, playbook suggestions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, true, tuple_
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..database import get_by_id
from ..errors import NotFound
from ..extensions import db
from ..library.store import get_library
from ..readcache import remembered
from ..timeline.models import TimelineEvent
from ..timeline.scopes import incident_scope
from .models import STATUS_RANK, EscalationStep, Incident
from .permissions import OPEN_ONLY, insiders, require_reader, require_visible, visible_clause

#: restricted incidents a person's own list shows at most
RESTRICTED_SHOWN = 100


def get_incident(incident_id, *, actor) -> Incident:
    """The incident, for anyone with a role who may see it; NotFound otherwise."""
    require_reader(actor)
    incident = load_incident(incident_id)
    require_visible(actor, incident)
    return incident


def load_incident(incident_id) -> Incident:
    """The incident or NotFound, for a caller that checked the reader already (a shared part)."""
    incident = get_by_id(Incident, incident_id)
    if incident is None:
        raise NotFound("unknown_incident", _("There is no such incident."))
    return incident


@dataclass(frozen=True)
class IncidentFacts:
    """What a page decides its reader's audience by, before its shared part is looked up."""

    id: int
    ref: str
    status: str
    lead_id: int | None
    restricted: bool = False
    #: lead, role holders and members: who may see it when restricted
    insiders: frozenset[int] = frozenset()


def incident_facts(incident_id, *, actor) -> IncidentFacts:
    """Ref, status and lead of an incident, for anyone with a role; NotFound otherwise.

    Kept under the incident's head, so a room read from memory costs no query.
    """
    require_reader(actor)
    if (
        isinstance(incident_id, bool)
        or not isinstance(incident_id, int)
        or not 0 < incident_id < 2**31
    ):
        raise NotFound("unknown_incident", _("There is no such incident."))

    def look_up() -> IncidentFacts | None:
        row = db.session.execute(
            select(
                Incident.id, Incident.ref, Incident.status, Incident.lead_id, Incident.restricted
            ).where(Incident.id == incident_id)
        ).one_or_none()
        if row is None:
            return None
        # who is inside changes only by events of the incident, which move its head
        inside = (
            frozenset(insiders(db.session.get(Incident, incident_id))) if row[4] else frozenset()
        )
        return IncidentFacts(*row, insiders=inside)

    facts = remembered(
        ("incident-facts", incident_id), look_up, scopes=(incident_scope(incident_id),)
    )
    hidden = (
        facts is not None
        and facts.restricted
        and not (actor.has_role("admin") or actor.id in facts.insiders)
    )
    if facts is None or hidden:
        raise NotFound("unknown_incident", _("There is no such incident."))
    return facts


# Built once: an alias made per request costs more to compile than the query takes to run.
OPENER, LEAD = aliased(User, name="opener"), aliased(User, name="lead")


@dataclass
class Filters:
    status: str = ""
    severity: int | None = None
    q: str = ""


def _filtered(query, filters: Filters):
    # these lists are kept and shared by every reader: a restricted incident is never in them
    query = query.where(OPEN_ONLY)
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


def board(filters: Filters, after: list | None, limit: int) -> list:
    """Live incidents first, then by severity and age; `limit + 1` light rows from after the cursor.

    For a caller that checked require_reader() (the board's shared part).
    """
    query = _filtered(
        select(
            Incident.id,
            Incident.ref,
            Incident.title,
            Incident.severity,
            Incident.status,
            Incident.status_rank,
            Incident.opened_at,
            Incident.drill,
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


def _light_rows():
    """The columns an incident list shows, with the opener's and lead's usernames."""
    opener, lead = OPENER, LEAD
    return (
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
            Incident.drill,
            opener.username.label("opened_by_name"),
            lead.username.label("lead_name"),
        )
        .join(opener, opener.id == Incident.opened_by_id)
        .outerjoin(lead, lead.id == Incident.lead_id)
    )


def newest(filters: Filters, after: list | None, limit: int) -> list:
    """Newest first (the API list); `limit + 1` light rows (no ORM objects) from after the cursor.

    For a caller that checked require_reader() (the kept API list).
    """
    query = _filtered(
        _light_rows(),
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


def restricted_for(actor) -> list:
    """The restricted incidents the actor may see, newest first, as light rows (never kept)."""
    require_reader(actor)
    query = (
        _light_rows()
        .where(Incident.restricted == true(), visible_clause(actor))
        .order_by(Incident.opened_at.desc(), Incident.id.desc())
        .limit(RESTRICTED_SHOWN)
    )
    return list(db.session.execute(query))


def overdue_counts(incident_ids: list[int]) -> dict[int, int]:
    """Overdue steps per incident, in one query: those that fell due and nobody acknowledged.

    A step falling due is an event (the worker marks it notified), so this never reads the clock.
    """
    if not incident_ids:
        return {}
    rows = db.session.execute(
        select(EscalationStep.incident_id, func.count())
        .where(
            EscalationStep.incident_id.in_(incident_ids),
            EscalationStep.status == "notified",
        )
        .group_by(EscalationStep.incident_id)
    )
    return dict(rows.all())


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
    """Playbooks whose triggers match the words of `text`, best first (user's language first)."""
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
