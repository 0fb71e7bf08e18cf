"""Access checks, the guarded status change and the timeline event all response steps share."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

from ..database import get_by_id
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import can_see, require_not_closed, require_reader
from ..incidents.queries import get_incident
from ..incidents.roles import current_holders
from ..timeline import append_event
from .models import Response

EDITABLE = ("draft", "preapproved", "pending_legal", "approved", "rejected")
COMMENT_MAX = 5000


def get_response(response_id, *, actor) -> Response:
    """The response, for anyone with a role who may see its incident."""
    require_reader(actor)
    response = get_by_id(Response, response_id)
    if response is None or not can_see(actor, db.session.get(Incident, response.incident_id)):
        raise NotFound("unknown_response", _("There is no such response."))
    return response


def require_writer(actor, incident) -> None:
    """Drafting and publishing: on-call staff, admins, or the incident's lead or spokesperson."""
    require_reader(actor)
    holders = current_holders(incident)
    is_voice = any(
        holders.get(role) and holders[role].user_id == actor.id for role in ("lead", "spokesperson")
    )
    if not (actor.has_role("oncall", "admin") or is_voice):
        raise Forbidden(
            "not_writer", _("Only on-call staff, the lead or the spokesperson can do this.")
        )


def require_reviewer(actor, response: Response) -> None:
    """Legal reviews, and never their own text (four eyes, for administrators too)."""
    if not actor.has_role("legal"):
        raise Forbidden("not_legal", _("Only legal can review responses."))
    if any(revision.author_id == actor.id for revision in response.revisions):
        raise Forbidden(
            "four_eyes", _("You wrote this response; another legal reviewer must decide.")
        )


def _transition(response: Response, allowed: tuple[str, ...], **values) -> bool:
    """Move the response if it is still in an allowed status; tell whether this call won."""
    won = (
        db.session.execute(
            update(Response)
            .where(
                Response.id == response.id,
                Response.status.in_(allowed),
                Response.revision == response.revision,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if won:
        db.session.expire(response)
    return won


def _for_writer(response_id, actor) -> Response:
    """The response, if the actor may write to it and its incident is not closed."""
    response = get_response(response_id, actor=actor)
    incident = get_incident(response.incident_id, actor=actor)
    require_writer(actor, incident)
    require_not_closed(incident)
    return response


def _event(kind: str, response: Response, actor, **data) -> None:
    revision = response.current
    append_event(
        kind,
        actor=actor,
        incident_id=response.incident_id,
        data={
            "response": response.id,
            "channel": response.channel,
            "audience": response.audience,
            "revision": revision.number,
            "revision_hash": revision.hash,
            **data,
        },
    )
