"""Who may do what on an incident (used by every incident service function)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, or_, true

from ..accounts.permissions import require_any_role, require_role
from ..database import is_write_transaction
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from .models import Incident, IncidentMember, RoleAssignment

OPENERS = ("oncall", "admin")


def can_open(actor) -> bool:
    """Whether the actor may open incidents (pages show the button by this)."""
    return actor.has_role(*OPENERS)


def require_opener(actor) -> None:
    """Opening incidents is for on-call staff and administrators."""
    require_role(actor, *OPENERS)


def require_reader(actor) -> None:
    """Everyone with a role on the desk may read incidents."""
    require_any_role(actor)


def holds_incident_role(actor, incident: Incident) -> bool:
    """Whether the actor currently holds any role on this incident."""
    return incident.lead_id == actor.id or any(
        assignment.user_id == actor.id and assignment.renounced_at is None
        for assignment in incident.assignments
    )


def require_responder(actor, incident: Incident) -> None:
    """Changing an incident: on-call staff, administrators, or whoever holds a role on it."""
    require_any_role(actor)
    if not (actor.has_role(*OPENERS) or holds_incident_role(actor, incident)):
        raise Forbidden(
            "not_responder",
            _("Only on-call staff or people with a role on this incident can change it."),
        )


def require_not_closed(incident: Incident) -> None:
    """A closed incident is a record: nothing on it changes any more except its post-mortem.

    The status is read again under a row lock (PostgreSQL; SQLite lets one writer in anyway), so a
    write that started before a close and commits after it cannot slip past: whichever of the two
    locks the row first goes first, and the other sees its outcome.
    """
    if not (db.session.get_bind().dialect.name == "sqlite" and is_write_transaction()):
        # SQLite's write transaction began with the write lock, before anything in it was read:
        # the status it holds is already the latest (one query less inside the lock)
        db.session.refresh(incident, ["status"], with_for_update=True)
    if incident.status == "closed":
        raise Conflict("closed", _("This incident is closed."))


def insiders(incident: Incident) -> set[int]:
    """Who may see a restricted incident besides administrators: lead, role holders, members."""
    ids = {a.user_id for a in incident.assignments if a.renounced_at is None}
    ids |= {member.user_id for member in incident.members}
    if incident.lead_id is not None:
        ids.add(incident.lead_id)
    return ids


def can_see(actor, incident: Incident) -> bool:
    """Whether the actor may know the incident exists (everyone with a role, unless restricted)."""
    if not incident.restricted:
        return True
    return actor.has_role("admin") or actor.id in insiders(incident)


def require_visible(actor, incident: Incident) -> None:
    """A restricted incident is, to someone outside it, an incident that does not exist."""
    if not can_see(actor, incident):
        raise NotFound("unknown_incident", _("There is no such incident."))


def visible_clause(actor):
    """SQL: the incidents the actor may see (for lists that are the actor's own, never kept)."""
    if actor.has_role("admin"):
        return true()
    # asked per restricted incident, by its id: a set of every incident the actor ever held a
    # role in grows with the history (an on-call person's is most of it) and planners misjudge it
    holds_role = exists().where(
        RoleAssignment.incident_id == Incident.id,
        RoleAssignment.user_id == actor.id,
        RoleAssignment.renounced_at.is_(None),
    )
    is_member = exists().where(
        IncidentMember.incident_id == Incident.id, IncidentMember.user_id == actor.id
    )
    return or_(Incident.restricted.is_(False), Incident.lead_id == actor.id, holds_role, is_member)


#: kept lists (the board, the API list) are shared by every reader: no restricted incident
OPEN_ONLY = Incident.restricted.is_(False)
