"""Incident role assignments, with history: who held the pen when."""
from __future__ import annotations

from flask_babel import gettext as _

from .. import clock
from ..accounts.service import find_user
from ..database import begin_write
from ..errors import Invalid
from ..extensions import db
from ..library.content import INCIDENT_ROLES
from ..timeline import append_event
from .models import Incident, RoleAssignment
from .permissions import require_responder
from .queries import get_incident


def current_holders(incident: Incident) -> dict[str, RoleAssignment]:
    """The current assignment per incident role."""
    return {a.role: a for a in incident.assignments if a.renounced_at is None}


def take_role(incident: Incident, role: str, user, *, assigned_by, at) -> RoleAssignment:
    """Record that `user` holds `role` from `at` (renouncing the previous holder); no event, no commit."""
    previous = current_holders(incident).get(role)
    if previous is not None:
        previous.renounced_at = at
    assignment = RoleAssignment(incident_id=incident.id, role=role, user_id=user.id,
                                assigned_by_id=assigned_by.id, assumed_at=at)
    db.session.add(assignment)
    incident.assignments.append(assignment)
    if role == "lead":
        incident.lead_id = user.id
    return assignment


def assign_role(incident_id: int, role: str, username, *, actor) -> Incident:
    """Give an incident role to an active user (legal_reviewer must hold the role legal)."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    if role not in INCIDENT_ROLES:
        raise Invalid("bad_role", _("Unknown incident role: %(role)s.", role=str(role)[:40]), field="role")
    user = find_user(username) if isinstance(username, str) else None
    if user is None or not user.active:
        raise Invalid("unknown_user", _("There is no active user %(name)s.", name=str(username)[:64]),
                      field="user")
    if role == "legal_reviewer" and not user.has_role("legal"):
        raise Invalid("not_legal", _("The legal reviewer must have the role legal."), field="user")
    previous = current_holders(incident).get(role)
    if previous is not None and previous.user_id == user.id:
        return incident  # already holds it: nothing changes, nothing to log
    take_role(incident, role, user, assigned_by=actor, at=clock.now())
    append_event("role_assigned", actor=actor, incident_id=incident.id, data={
        "role": role, "user": user.username, "previous": previous.user.username if previous else None})
    db.session.commit()
    return incident
