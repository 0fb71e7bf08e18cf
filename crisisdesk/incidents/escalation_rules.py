"""Who an escalation step tells, rule after rule, like an on-call tool's escalation policy.

A step's rules, in turn: the holder of its duty (target_duty), the holders of its role, the
holder of its fallback duty. The worker tells the first rule when the step falls due and the
next one each `repeat_after` minutes until someone acknowledges. A duty with nobody on it (or
not set up) is passed over at once. While a duty's holder is the one told, a hand-over tells
the incoming person too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from .. import clock
from ..database import begin_write
from ..extensions import db
from ..people.duties import holder_of
from ..timeline import append_event
from .models import EscalationStep, Incident

LIVE_STATUSES = ("open", "monitoring")
#: the wait between rules when a step names duties but the policy gave none
DEFAULT_REPEAT = 15


def rules_of(step: EscalationStep) -> list[tuple[str, str]]:
    """("duty", slug) and ("role", role) in the order they are told."""
    rules = [("duty", step.target_duty)] if step.target_duty else []
    rules.append(("role", step.target_role))
    if step.fallback_duty:
        rules.append(("duty", step.fallback_duty))
    return rules


def planned_holder(step: EscalationStep) -> str | None:
    """Who holds the step's first duty when it falls due (the plan's name; None: the role)."""
    return holder_of(step.target_duty, step.due_at) if step.target_duty else None


def tell_next(step: EscalationStep, now: datetime) -> dict:
    """Move the step to its next rule that reaches someone; the event data saying who.

    The caller has claimed the step (a compare-and-set on its stage) in this transaction.
    """
    rules = rules_of(step)
    passed = []
    while True:
        kind, name = rules[step.stage]
        step.stage += 1
        user = holder_of(name, now) if kind == "duty" else None
        last = step.stage >= len(rules)
        if kind == "role" or user is not None or last:
            break
        passed.append(name)  # nobody on this duty: the next rule at once
    step.notified_user = user
    wait = timedelta(minutes=step.repeat_after or DEFAULT_REPEAT)
    step.next_rule_at = None if last else now + wait
    data = {
        "step": step.id,
        "target_role": step.target_role,
        "action": step.action,
        "due_at": step.due_at.isoformat().replace("+00:00", "Z"),
        "rule": step.stage,
    }
    if kind == "duty":
        data.update(duty=name, user=user)
    if passed:
        data["passed"] = passed
    return data


def claim_next_rules(limit: int = 100) -> int:
    """Tell the next rule of each notified step nobody acknowledged in time; each once."""
    now = clock.now()
    live = EscalationStep.incident_id.in_(
        select(Incident.id).where(Incident.status.in_(LIVE_STATUSES))
    )
    due = db.session.execute(
        select(EscalationStep.id, EscalationStep.stage)
        .where(EscalationStep.status == "notified", EscalationStep.next_rule_at <= now, live)
        .order_by(EscalationStep.next_rule_at, EscalationStep.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    told = 0
    for step_id, stage in due:
        begin_write()
        # compare-and-set on the stage: of several workers, one tells the next rule
        won = db.session.execute(
            update(EscalationStep)
            .where(
                EscalationStep.id == step_id,
                EscalationStep.status == "notified",
                EscalationStep.stage == stage,
                live,
            )
            .values(next_rule_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            db.session.rollback()
            continue
        step = db.session.get(EscalationStep, step_id)
        db.session.refresh(step)
        data = tell_next(step, now)
        append_event("escalation_notified", actor=None, incident_id=step.incident_id, data=data)
        db.session.commit()
        told += 1
    return told


def tell_handovers() -> int:
    """Tell the incoming holder of a duty whose step is still open; each hand-over once."""
    now = clock.now()
    candidates = db.session.execute(
        select(EscalationStep.id, EscalationStep.notified_user, EscalationStep.stage)
        .join(Incident, Incident.id == EscalationStep.incident_id)
        .where(
            EscalationStep.status == "notified",
            EscalationStep.notified_user.is_not(None),
            Incident.status.in_(LIVE_STATUSES),
        )
    ).all()
    changes = []
    for step_id, told, stage in candidates:
        step = db.session.get(EscalationStep, step_id)
        kind, name = rules_of(step)[stage - 1]
        holder = holder_of(name, now) if kind == "duty" else None
        if holder is not None and holder != told:
            changes.append((step_id, told, stage, name, holder))
    db.session.rollback()
    done = 0
    for step_id, told, stage, duty, holder in changes:
        begin_write()
        won = db.session.execute(
            update(EscalationStep)
            .where(
                EscalationStep.id == step_id,
                EscalationStep.status == "notified",
                EscalationStep.stage == stage,
                EscalationStep.notified_user == told,
            )
            .values(notified_user=holder)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            db.session.rollback()
            continue
        step = db.session.get(EscalationStep, step_id)
        append_event(
            "escalation_notified",
            actor=None,
            incident_id=step.incident_id,
            data={
                "step": step_id,
                "target_role": step.target_role,
                "action": step.action,
                "due_at": step.due_at.isoformat().replace("+00:00", "Z"),
                "rule": stage,
                "duty": duty,
                "user": holder,
                "handover_from": told,
            },
        )
        db.session.commit()
        done += 1
    return done
