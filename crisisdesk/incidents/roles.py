"""Incident role assignments with history (who held the pen
when), and the one table of who may hold and assign them.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import clock
from ..accounts.service import find_user
from ..database import begin_write
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import db
from ..i18n import role_label
from ..timeline import append_event
from . import validation
from .models import Incident, RoleAssignment
from .permissions import require_not_closed
from .queries import get_incident

#: who may assign a role: "lead" is the incident's current lead, every other word a user role
LEAD = "lead"
REASON_MAX = 500


@dataclass(frozen=True)
class RoleRule:
    """Who may hold an incident role (user roles; None:
    anyone with a role on the desk) and who may assign it.
    """

    holders: tuple[str, ...] | None
    assigners: tuple[str, ...]


#: The one rule table for incident roles; the services, the room and the API description read it.
ROLE_RULES: dict[str, RoleRule] = {
    "lead": RoleRule(holders=("oncall", "admin"), assigners=(LEAD, "admin")),
    "spokesperson": RoleRule(holders=("oncall", "admin"), assigners=(LEAD, "admin")),
    "legal_reviewer": RoleRule(holders=("legal",), assigners=(LEAD, "admin", "legal")),
    "management_sponsor": RoleRule(
        holders=("management", "admin"), assigners=(LEAD, "admin", "management")
    ),
    "scribe": RoleRule(holders=None, assigners=(LEAD, "admin", "oncall")),
}


def rule_table() -> list[str]:
    """ROLE_RULES as the lines of a Markdown table (the API description and the README show it)."""

    def who(words):
        return ", ".join("the current lead" if word == LEAD else word for word in words)

    rows = [
        f"| {role} | {', '.join(rule.holders) if rule.holders else 'any desk role'} "
        f"| {who(rule.assigners)} |"
        for role, rule in ROLE_RULES.items()
    ]
    return ["| incident role | who may hold it | who may assign it |", "|---|---|---|", *rows]


def current_holders(incident: Incident) -> dict[str, RoleAssignment]:
    """The current assignment per incident role."""
    return {a.role: a for a in incident.assignments if a.renounced_at is None}


def may_hold(user, role: str) -> bool:
    """Whether `user`'s desk roles let them hold the incident role."""
    holders = ROLE_RULES[role].holders
    return bool(user.roles) if holders is None else user.has_role(*holders)


def may_assign(actor, role: str, incident: Incident) -> bool:
    """Whether `actor` may give the incident role to someone on this incident."""
    assigners = ROLE_RULES[role].assigners
    return (LEAD in assigners and incident.lead_id == actor.id) or actor.has_role(*assigners)


def can_take_over(actor) -> bool:
    """Whether `actor` may take over the lead of an
    incident they do not lead (whoever may hold it).
    """
    return may_hold(actor, "lead")


def take_role(incident: Incident, role: str, user, *, assigned_by, at) -> RoleAssignment:
    """Record that `user` holds `role` from `at`
    (renouncing the previous holder); no event, no commit.
    """
    previous = current_holders(incident).get(role)
    if previous is not None:
        previous.renounced_at = at
    assignment = RoleAssignment(
        incident_id=incident.id,
        role=role,
        user_id=user.id,
        assigned_by_id=assigned_by.id,
        assumed_at=at,
    )
    db.session.add(assignment)
    incident.assignments.append(assignment)
    if role == "lead":
        incident.lead_id = user.id
    return assignment


def assign_role(incident_id: int, role: str, username, *, actor) -> Incident:
    """Give an incident role to an active user, as ROLE_RULES allow."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    if not isinstance(role, str) or role not in ROLE_RULES:
        raise Invalid(
            "bad_role", _("Unknown incident role: %(role)s.", role=str(role)[:40]), field="role"
        )
    _require_assigner(actor, role, incident, username)
    require_not_closed(incident)
    user = find_user(username) if isinstance(username, str) else None
    if user is None or not user.active:
        raise Invalid(
            "unknown_user",
            _("There is no active user %(name)s.", name=str(username)[:64]),
            field="user",
        )
    if not may_hold(user, role):
        raise Invalid("not_holder", _holder_message(user, role), field="user")
    previous = current_holders(incident).get(role)
    if previous is not None and previous.user_id == user.id:
        # already holds it: nothing changes, nothing to log; the write lock goes
        db.session.commit()
        return incident
    take_role(incident, role, user, assigned_by=actor, at=clock.now())
    append_event(
        "role_assigned",
        actor=actor,
        incident_id=incident.id,
        data={
            "role": role,
            "user": user.username,
            "previous": previous.user.username if previous else None,
        },
    )
    db.session.commit()
    return incident


def take_over_lead(incident_id: int, *, actor, reason=None) -> Incident:
    """Make the actor the incident's lead (on-call staff
    and administrators), logged as its own kind of event.
    """
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    if not can_take_over(actor):
        raise Forbidden(
            "missing_role",
            _("Only %(roles)s can take over the lead.", roles=_either(ROLE_RULES["lead"].holders)),
        )
    require_not_closed(incident)
    if incident.lead_id == actor.id:
        raise Conflict("already_lead", _("You already lead this incident."))
    reason = validation.text(reason, "reason", REASON_MAX) or None
    previous = current_holders(incident).get("lead")
    take_role(incident, "lead", actor, assigned_by=actor, at=clock.now())
    append_event(
        "lead_taken_over",
        actor=actor,
        incident_id=incident.id,
        data={
            "role": "lead",
            "user": actor.username,
            "previous": previous.user.username if previous else None,
            "reason": reason,
        },
    )
    db.session.commit()
    return incident


def _require_assigner(actor, role: str, incident: Incident, username) -> None:
    if may_assign(actor, role, incident):
        return
    if role == "lead" and isinstance(username, str) and username.strip().lower() == actor.username:
        raise Forbidden(
            "use_take_over",
            _("You do not lead this incident. To lead it yourself, use “Take over lead”."),
        )
    raise Forbidden(
        "not_assigner",
        _(
            "Only %(who)s can assign the role %(role)s.",
            who=_either(ROLE_RULES[role].assigners),
            role=role_label(role),
        ),
    )


def _holder_message(user, role: str) -> str:
    holders = ROLE_RULES[role].holders
    if holders is None:
        return _(
            "%(name)s has no role on the desk, so cannot be %(role)s.",
            name=user.username,
            role=role_label(role),
        )
    return _(
        "%(name)s cannot be %(role)s: that needs the role %(roles)s.",
        name=user.username,
        role=role_label(role),
        roles=_either(holders),
    )


def _either(words) -> str:
    """'the incident's lead, Administrator or Legal' in the reader's language."""
    names = [_("the incident's lead") if word == LEAD else role_label(word) for word in words]
    return format_list(names, style="or", locale=get_locale() or "en")
