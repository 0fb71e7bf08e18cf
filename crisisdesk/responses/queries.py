"""Reading responses: per incident, legal's queue, what was said, diffs between texts."""

from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.permissions import require_role
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.queries import get_incident
from ..library.models import ContentVersion
from ..library.yaml_lines import YamlProblem, parse_front_matter
from .models import Response


def for_incident(incident_id: int) -> list[Response]:
    """The incident's responses, by channel then age, with revisions and reviews (no N+1)."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.incident_id == incident_id)
            # authors and reviewers come joined with them (lazy="joined" on the models)
            .options(selectinload(Response.revisions), selectinload(Response.reviews))
            .order_by(Response.channel, Response.id)
        )
    )


def of_incident(incident_id, *, actor) -> list[Response]:
    """The responses of an incident the actor may read."""
    return for_incident(get_incident(incident_id, actor=actor).id)


def statement_hashes(responses: list[Response]) -> dict[int, str]:
    """The SHA-256 of the statement version each response came from, by version id (one query)."""
    ids = {r.statement_version_id for r in responses if r.statement_version_id is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(ContentVersion.id, ContentVersion.sha256).where(ContentVersion.id.in_(ids))
        ).all()
    )


def said_so_far(incident_id: int) -> list[Response]:
    """Published responses in the order they went out."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.incident_id == incident_id, Response.status == "published")
            .options(selectinload(Response.revisions))
            .order_by(Response.published_at, Response.id)
        )
    )


def review_queue(*, actor, limit: int = 100) -> list[tuple[Response, Incident]]:
    """Responses waiting for legal: most severe first, then oldest first."""
    require_role(actor, "legal", "admin")
    rows = db.session.execute(
        select(Response, Incident)
        .join(Incident, Incident.id == Response.incident_id)
        .where(Response.status == "pending_legal")
        .order_by(Incident.severity, Response.submitted_at, Response.id)
        .limit(limit)
    )
    return [(response, incident) for response, incident in rows.all()]


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level-friendly line diff: (kind, line) with kind in '+', '-', ' '."""
    result = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in "+- ":
            result.append((line[0], line[2:]))
    return result


def baseline(response: Response, revision_number: int) -> tuple[str, str]:
    """What a revision is compared with: the previous revision, or the statement it came from."""
    if revision_number > 1:
        previous = next(r for r in response.revisions if r.number == revision_number - 1)
        return "previous", previous.body
    if response.statement_version_id:
        version = db.session.get(ContentVersion, response.statement_version_id)
        try:
            return "statement", parse_front_matter(version.text).body.strip()
        except YamlProblem:
            return "statement", version.text
    return "none", ""
