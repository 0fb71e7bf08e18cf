"""Reading responses: per incident, legal's queue, what was said, word diffs between texts."""

from __future__ import annotations

import difflib
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.permissions import require_role
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import visible_clause
from ..incidents.queries import get_incident
from ..library.models import ContentVersion
from ..library.yaml_lines import YamlProblem, parse_front_matter
from .compose import posted_statement, stored_values
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
        .where(Response.status == "pending_legal", visible_clause(actor))
        .order_by(Incident.severity, Response.submitted_at, Response.id)
        .limit(limit)
    )
    return [(response, incident) for response, incident in rows.all()]


#: a word, a run of whitespace, or one other character: joined again they give the text back
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Split a text into words, whitespace runs and punctuation, keeping every character."""
    return TOKEN.findall(text)


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: (op, text) segments with op in equal | insert | delete, in text order.

    Joining the equal and delete segments gives `old` back; equal and insert give `new`.
    """
    before, after = tokens(old), tokens(new)
    # autojunk off: in longer texts the spaces would otherwise count as junk and blur the result
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    segments: list[tuple[str, str]] = []
    deleted, inserted = "", ""
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(before[i1:i2]), "".join(after[j1:j2])
        if tag == "equal":
            if (deleted or inserted) and _bridges(old_part) and index + 1 < len(opcodes):
                # "are aware of" → "know about" reads as one change, not three around spaces
                deleted, inserted = deleted + old_part, inserted + new_part
                continue
            _add(segments, "delete", deleted)
            _add(segments, "insert", inserted)
            deleted, inserted = "", ""
            _add(segments, "equal", old_part)
        else:
            deleted, inserted = deleted + old_part, inserted + new_part
    _add(segments, "delete", deleted)
    _add(segments, "insert", inserted)
    return segments


def _bridges(text: str) -> bool:
    """Spaces between two changes on one line belong to the change."""
    return not text.strip() and "\n" not in text


def changed_words(old: str, new: str) -> list[tuple[str, str]]:
    """The word diff of two texts, or an empty list when they are the same."""
    segments = diff_words(old, new)
    return segments if any(op != "equal" for op, _text in segments) else []


def _add(segments: list[tuple[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1] = (op, segments[-1][1] + text)
    else:
        segments.append((op, text))


def baseline(response: Response, revision_number: int) -> tuple[str, str]:
    """What a revision is compared with: the previous revision, or the statement it came from.

    The statement is filled with the revision's own values and shown as posted on the
    response's channel, so a response that says the statement verbatim differs in nothing.
    """
    if revision_number > 1:
        previous = next(r for r in response.revisions if r.number == revision_number - 1)
        return "previous", previous.body
    if response.statement_version_id:
        version = db.session.get(ContentVersion, response.statement_version_id)
        try:
            body = parse_front_matter(version.text).body.strip()
        except YamlProblem:
            return "statement", version.text
        revision = next(r for r in response.revisions if r.number == revision_number)
        return "statement", posted_statement(response.channel, body, stored_values(revision))
    return "none", ""


def rejection(response: Response):
    """Legal's rejection of the current revision, if it was rejected."""
    reviews = [
        r for r in response.reviews if r.revision == response.revision and r.decision == "rejected"
    ]
    return reviews[-1] if reviews else None
