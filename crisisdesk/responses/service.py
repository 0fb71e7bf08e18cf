"""Who may draft, revise, submit, approve, reject, publish and retract responses — and doing it.

Every state change is a conditional UPDATE on the status (never check-then-act), one timeline
event carrying the revision's hash, and one commit.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid
from ..extensions import db
from ..incidents import validation
from ..incidents.permissions import require_not_closed
from ..incidents.queries import get_incident
from ..library import service as library
from .compose import body_hash, check_audience, check_body, check_channel, compose
from .models import Response, ResponseRevision, Review

# The shared checks and the publish/retract steps live in sibling modules; re-exported here so
# every caller keeps importing the whole response workflow from this one place.
from .publishing import publish_response, retract_response  # noqa: F401
from .transitions import (  # noqa: F401
    COMMENT_MAX,
    EDITABLE,
    _event,
    _for_writer,
    _transition,
    get_response,
    require_reviewer,
    require_writer,
)


def _rejected(response: Response) -> bool:
    """Whether legal already refused the current revision (it is never sent again unchanged)."""
    return (
        db.session.scalar(
            select(Review.id)
            .where(
                Review.response_id == response.id,
                Review.revision == response.revision,
                Review.decision == "rejected",
            )
            .limit(1)
        )
        is not None
    )


def draft_response(
    incident_id,
    *,
    actor,
    channel,
    statement=None,
    values=None,
    body=None,
    language=None,
    corrects=None,
    audience=None,
) -> Response:
    """Start a response: pre-approved if it is a verbatim approved statement, else a draft."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_writer(actor, incident)
    require_not_closed(incident)
    channel = check_channel(channel)
    composed = compose(
        channel, statement_slug=statement, values=values, body=body, language=language
    )
    audience = check_audience(audience, channel, composed.statement)
    corrected = _corrected(corrects, incident.id)
    version = library.version_of(composed.statement) if composed.statement else None
    response = Response(
        incident_id=incident.id,
        channel=channel,
        audience=audience,
        author_id=actor.id,
        revision=1,
        language=composed.statement.language if composed.statement else _language(language, actor),
        status="preapproved" if composed.preapproved else "draft",
        statement_slug=composed.statement.slug if composed.statement else None,
        statement_version_id=version.id if version else None,
        approved_revision=1 if composed.preapproved else None,
        corrects_id=corrected,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add(
        ResponseRevision(
            response_id=response.id,
            number=1,
            body=composed.body,
            hash=body_hash(composed.body),
            values=json.dumps(composed.values),
            author_id=actor.id,
        )
    )
    db.session.flush()
    _event(
        "response_drafted",
        response,
        actor,
        status=response.status,
        statement=response.statement_slug,
        statement_version=composed.statement.sha256 if composed.statement else None,
        corrects=corrected,
        draft_reason=composed.reason,
    )
    db.session.commit()
    response.draft_reason, response.draft_message = composed.reason, composed.message()
    return response


def _language(language, actor) -> str:
    if language is None:
        return actor.language
    if language not in ("de", "en"):
        raise Invalid("bad_language", _("Choose German or English."), field="language")
    return language


def _corrected(corrects, incident_id: int) -> int | None:
    if corrects is None:
        return None
    original = get_by_id(Response, corrects)
    if original is None or original.incident_id != incident_id or original.status != "published":
        raise Invalid(
            "bad_corrects",
            _("Only a published response of this incident can be corrected."),
            field="corrects",
        )
    return original.id


def revise_response(response_id, body, *, actor) -> Response:
    """Save an edited text as a new revision; any approval lapses (back to draft)."""
    begin_write()
    response = _for_writer(response_id, actor)
    body = check_body(body, response.channel)
    if body == response.current.body:
        raise Conflict("unchanged", _("The text is unchanged."), field="body")
    number = response.revision + 1
    if not _transition(response, EDITABLE, revision=number, status="draft", approved_revision=None):
        raise Conflict(
            "not_editable",
            _("A published response cannot be edited; publish a correction instead."),
        )
    db.session.add(
        ResponseRevision(
            response_id=response.id,
            number=number,
            body=body,
            hash=body_hash(body),
            author_id=actor.id,
        )
    )
    db.session.flush()
    _event("response_revised", response, actor)
    db.session.commit()
    return response


def submit_response(response_id, *, actor) -> Response:
    """Ask legal to review the current revision (a rejected one must be revised first)."""
    begin_write()
    response = _for_writer(response_id, actor)
    if response.status == "rejected" or _rejected(response):
        raise Conflict("needs_revision", _("Revise the text before sending it to legal again."))
    if not _transition(response, ("draft",), status="pending_legal", submitted_at=clock.now()):
        raise Conflict("not_submittable", _("Only a draft can be sent to legal."))
    _event("response_submitted", response, actor)
    db.session.commit()
    return response


def approve_response(response_id, *, actor, comment=None) -> Response:
    """Approve the pending revision (legal, not the author)."""
    return _review(response_id, actor, "approved", comment)


def reject_response(response_id, *, actor, comment=None) -> Response:
    """Reject the pending revision with a reason (legal, not the author)."""
    return _review(response_id, actor, "rejected", comment)


def _review(response_id, actor, decision: str, comment) -> Response:
    begin_write()
    response = get_response(response_id, actor=actor)
    require_reviewer(actor, response)
    require_not_closed(get_incident(response.incident_id, actor=actor))
    comment = validation.text(comment, "comment", COMMENT_MAX, required=decision == "rejected")
    number, submitted_at = response.revision, response.submitted_at
    values = {"status": decision, "approved_revision": number if decision == "approved" else None}
    if not _transition(response, ("pending_legal",), **values):
        raise Conflict("already_reviewed", _("This response is not waiting for review (any more)."))
    db.session.add(
        Review(
            response_id=response.id,
            revision=number,
            decision=decision,
            comment=comment,
            reviewer_id=actor.id,
            submitted_at=submitted_at,
        )
    )
    _event(f"response_{decision}", response, actor, comment=comment)
    db.session.commit()
    return response
