"""Need-to-know incidents: restricting one (or opening it again) is a logged decision with a
reason; the lead and administrators name the members who may see it besides its role holders."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

from ..accounts.service import find_user
from ..database import begin_write
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from . import validation
from .models import Incident, IncidentMember
from .queries import get_incident

REASON_MAX = 500


def can_keep(actor, incident: Incident) -> bool:
    """Whether the actor decides who sees the incident: its lead or an administrator."""
    return actor.has_role("admin") or incident.lead_id == actor.id


def _require_keeper(actor, incident: Incident) -> None:
    if not can_keep(actor, incident):
        raise Forbidden(
            "not_keeper", _("Only the incident's lead or an administrator decides who sees it.")
        )


def restrict_in_transaction(incident: Incident, restricted, reason, *, actor) -> bool:
    """Set the flag inside the caller's transaction; whether it changed."""
    if not isinstance(restricted, bool):
        raise Invalid("bad_flag", _("restricted must be true or false."), "restricted")
    if restricted == incident.restricted:
        return False
    reason = validation.text(reason, "reason", REASON_MAX, required=True)
    incident.restricted = restricted
    append_event(
        "restriction_changed",
        actor=actor,
        incident_id=incident.id,
        data={"restricted": restricted, "reason": reason},
    )
    return True


def set_restricted(incident_id, restricted, reason, *, actor) -> Incident:
    """Make an incident need-to-know, or open it to every reader again, with the reason."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    _require_keeper(actor, incident)
    db.session.refresh(incident, ["restricted"], with_for_update=True)
    restrict_in_transaction(incident, restricted, reason, actor=actor)
    db.session.commit()
    return incident


def add_member(incident_id, username, *, actor) -> Incident:
    """Let someone see the incident without a role on it (the lead, an administrator)."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    _require_keeper(actor, incident)
    user = find_user(username) if isinstance(username, str) else None
    if user is None or not user.active or not user.roles:
        raise NotFound("unknown_user", _("There is no such user."))
    if any(member.user_id == user.id for member in incident.members):
        db.session.commit()
        return incident
    db.session.add(IncidentMember(incident_id=incident.id, user_id=user.id, added_by_id=actor.id))
    append_event("member_added", actor=actor, incident_id=incident.id, data={"user": user.username})
    db.session.commit()
    db.session.refresh(incident)
    return incident


def remove_member(incident_id, username, *, actor) -> Incident:
    """Take someone's membership away (their role on the incident, if any, still counts)."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    _require_keeper(actor, incident)
    user = find_user(username) if isinstance(username, str) else None
    member = next((m for m in incident.members if user and m.user_id == user.id), None)
    if member is None:
        raise NotFound("unknown_member", _("This person is not a member of the incident."))
    db.session.execute(delete(IncidentMember).where(IncidentMember.id == member.id))
    append_event(
        "member_removed", actor=actor, incident_id=incident.id, data={"user": user.username}
    )
    db.session.commit()
    db.session.refresh(incident)
    return incident
