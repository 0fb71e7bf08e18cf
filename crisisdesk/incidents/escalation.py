"""Escalation steps: plan from the playbook policy,
re-plan on severity change, acknowledge, claim when due.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock
from ..database import begin_write, commit_keeping_loaded, get_by_id
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..i18n import role_label
from ..library.content import Playbook, Step
from ..timeline import append_event
from .escalation_rules import LIVE_STATUSES, tell_next
from .models import EscalationStep, Incident
from .permissions import require_not_closed, require_visible

OPEN_STEP = ("pending", "notified")


def keyed(steps: list[Step]) -> list[tuple[str, Step]]:
    """Give each policy step a stable key: its role and how many steps for that role came before."""
    seen: Counter = Counter()
    result = []
    for step in steps:
        result.append((f"{step.target_role}:{seen[step.target_role]}", step))
        seen[step.target_role] += 1
    return result


def plan(incident: Incident, playbook: Playbook) -> list[EscalationStep]:
    """Create the incident's steps from the policy for its severity, in the policy's order."""
    rows = [
        {
            "incident_id": incident.id,
            "key": key,
            "severity": incident.severity,
            "after_minutes": step.after_minutes,
            "due_at": incident.opened_at + timedelta(minutes=step.after_minutes),
            "target_role": step.target_role,
            "action": step.action,
            "target_duty": step.target_duty,
            "fallback_duty": step.fallback_duty,
            "repeat_after": step.repeat_after,
            "status": "pending",
        }
        for key, step in keyed(playbook.escalation.get(incident.severity, []))
    ]
    if not rows:
        return []
    # one INSERT … RETURNING for all of them (the unit of work sent one per step)
    made = db.session.scalars(insert(EscalationStep).returning(EscalationStep), rows).all()
    by_key = {step.key: step for step in made}
    return [by_key[row["key"]] for row in rows]


def acknowledge_on_opening(
    incident: Incident, steps: list[EscalationStep], playbook: Playbook, actor
) -> list[EscalationStep]:
    """Acknowledge, by the opener at the opening time, the planned steps the opening fulfils."""
    fulfilled = {
        key
        for key, step in keyed(playbook.escalation.get(incident.severity, []))
        if step.on_opening
    }
    taken = [s for s in steps if s.key in fulfilled and s.status in OPEN_STEP]
    for step in taken:
        step.status, step.acknowledged_at, step.acknowledged_by_id = (
            "acknowledged",
            incident.opened_at,
            actor.id,
        )
        append_event(
            "escalation_acknowledged",
            actor=actor,
            incident_id=incident.id,
            at=incident.opened_at,
            data={
                "step": step.id,
                "target_role": step.target_role,
                "due_at": _iso(step.due_at),
                "late_s": 0,
                "on_opening": True,
            },
        )
    return taken


def replan(incident: Incident, playbook: Playbook) -> dict:
    """Move unacknowledged steps to the new severity's
    policy; cancel those it lacks, add new ones.
    """
    existing = {step.key: step for step in incident.steps if step.status != "cancelled"}
    wanted = dict(keyed(playbook.escalation.get(incident.severity, [])))
    changes = {"replanned": [], "cancelled": [], "added": []}
    for key, policy_step in wanted.items():
        step = existing.get(key)
        if step is not None and step.status == "acknowledged":
            continue
        due = incident.opened_at + timedelta(minutes=policy_step.after_minutes)
        if step is None:
            step = EscalationStep(
                incident_id=incident.id,
                key=key,
                status="pending",
                target_role=policy_step.target_role,
            )
            db.session.add(step)
            changes["added"].append(key)
        else:
            changes["replanned"].append(key)
        step.severity, step.after_minutes, step.due_at, step.action = (
            incident.severity,
            policy_step.after_minutes,
            due,
            policy_step.action,
        )
        step.target_duty, step.fallback_duty, step.repeat_after = (
            policy_step.target_duty,
            policy_step.fallback_duty,
            policy_step.repeat_after,
        )
        if step.status == "notified" and due > clock.now():
            # due again later: told again from the first rule then
            step.status, step.notified_at, step.stage = "pending", None, 0
            step.notified_user, step.next_rule_at = None, None
    for key, step in existing.items():
        if key not in wanted and step.status in OPEN_STEP:
            step.status = "cancelled"
            changes["cancelled"].append(key)
    return changes


def cancel_open_steps(incident: Incident) -> list[int]:
    """Cancel the incident's pending and notified steps
    in the caller's transaction; their ids, in order.
    """
    # conditional UPDATE: a step acknowledged meanwhile by someone else stays acknowledged
    cancelled = (
        db.session.execute(
            update(EscalationStep)
            .where(EscalationStep.incident_id == incident.id, EscalationStep.status.in_(OPEN_STEP))
            .values(status="cancelled")
            .returning(EscalationStep.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    for step in incident.steps:
        if step.id in cancelled:
            db.session.expire(step, ["status"])
    return sorted(cancelled)


def get_step(incident_id: int, step_id: int) -> EscalationStep:
    """The step of this incident, or NotFound."""
    step = get_by_id(EscalationStep, step_id)
    if step is None or step.incident_id != incident_id:
        raise NotFound("unknown_step", _("There is no such escalation step."))
    return step


def acknowledge(incident_id: int, step_id: int, *, actor) -> EscalationStep:
    """Acknowledge a step: a holder of its role, the person told, or the lead; only once."""
    begin_write()
    step = get_step(incident_id, step_id)
    incident = step.incident
    require_visible(actor, incident)  # a restricted incident's step does not exist for outsiders
    told = step.notified_user is not None and step.notified_user == actor.username
    if not (actor.has_role(step.target_role) or incident.lead_id == actor.id or told):
        raise Forbidden(
            "not_your_step",
            _(
                "Only a person with the role %(role)s or the incident's lead can "
                "acknowledge this step.",
                role=role_label(step.target_role),
            ),
        )
    require_not_closed(incident)
    now = clock.now()
    # compare-and-set: of two people acknowledging at once, exactly one changes the row
    claimed = db.session.execute(
        update(EscalationStep)
        .where(EscalationStep.id == step.id, EscalationStep.status.in_(OPEN_STEP))
        .values(status="acknowledged", acknowledged_at=now, acknowledged_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise Conflict("already_acknowledged", _("This step is already acknowledged or cancelled."))
    append_event(
        "escalation_acknowledged",
        actor=actor,
        incident_id=incident.id,
        data={
            "step": step.id,
            "target_role": step.target_role,
            "due_at": _iso(step.due_at),
            "late_s": max(0, int((now - step.due_at).total_seconds())),
        },
    )
    # what the UPDATE wrote, set on the loaded step as committed state, so the answer needs no
    # second read of the row
    for name, value in (
        ("status", "acknowledged"),
        ("acknowledged_at", now),
        ("acknowledged_by_id", actor.id),
    ):
        set_committed_value(step, name, value)
    db.session.expire(step, ["acknowledged_by"])  # read again from the id just set
    commit_keeping_loaded()
    return step


def claim_due_steps(limit: int = 100) -> list[EscalationStep]:
    """Mark steps of live incidents that fell due as
    notified, each exactly once even with several workers.
    """
    now = clock.now()
    live = EscalationStep.incident_id.in_(
        select(Incident.id).where(Incident.status.in_(LIVE_STATUSES))
    )
    due_ids = db.session.scalars(
        select(EscalationStep.id)
        .where(EscalationStep.status == "pending", EscalationStep.due_at <= now, live)
        .order_by(EscalationStep.due_at, EscalationStep.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    claimed = []
    for step_id in due_ids:
        begin_write()
        won = db.session.execute(
            # the incident's status is checked in the same statement: resolving it meanwhile wins
            update(EscalationStep)
            .where(EscalationStep.id == step_id, EscalationStep.status == "pending", live)
            .values(status="notified", notified_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            db.session.rollback()
            continue
        step = db.session.get(EscalationStep, step_id)
        db.session.refresh(step)
        # the first rule that reaches someone: the duty's holder, else the role's holders
        data = tell_next(step, now)
        append_event("escalation_notified", actor=None, incident_id=step.incident_id, data=data)
        db.session.commit()
        claimed.append(step)
    return claimed


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
