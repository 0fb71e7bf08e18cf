"""Who gets what. Each receiver turns one kind of event into queued deliveries and in-app notes."""

from __future__ import annotations

import json

from sqlalchemy import select

from .. import signals
from ..accounts.models import User, UserRole
from ..drills.models import Drill
from ..extensions import db
from ..incidents.permissions import can_see
from ..incidents.roles import current_holders
from ..responses.models import Response
from . import outbox
from .models import Webhook


def _users_with_role(role: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _may_know(users, incident) -> list[User]:
    """Only those who may see the incident hear of it (a restricted one is need-to-know)."""
    return [user for user in users if incident is None or can_see(user, incident)]


def _escalation_due(_app, event, data, incident):
    # Escalations of severity 1-2 are mailed whatever the preference: a missed one costs hours.
    mandatory = incident is not None and incident.severity <= 2
    if data.get("user"):  # a duty's holder, told in person
        person = db.session.scalar(select(User).where(User.username == data["user"]))
        users = [person] if person is not None and person.active else []
    else:
        users = _users_with_role(data.get("target_role", ""))
    for user in _may_know(users, incident):
        outbox.notify_in_app(event, user, "escalation")
        outbox.mail(event, user, "escalation", mandatory=mandatory)


def _incident_opened(_app, event, data, incident):
    if data.get("severity") != 1:
        return
    for user in _may_know(_users_with_role("management"), incident):
        outbox.notify_in_app(event, user, "incident_opened")
        outbox.mail(event, user, "incident_opened")


def _response_submitted(_app, event, data, incident):
    reviewer = current_holders(incident).get("legal_reviewer") if incident else None
    users = [reviewer.user] if reviewer and reviewer.user.active else _users_with_role("legal")
    for user in _may_know(users, incident):
        outbox.notify_in_app(event, user, "review")
        outbox.mail(event, user, "review")


def _response_decided(_app, event, data, incident):
    response = db.session.get(Response, data.get("response"))
    if response is not None:
        outbox.notify_in_app(event, response.author, "review_result")
        outbox.mail(event, response.author, "review_result")


def _role_assigned(_app, event, data, incident):
    user = db.session.scalar(select(User).where(User.username == data.get("user")))
    if user is not None and user.username != event.actor_name:
        outbox.notify_in_app(event, user, "assigned")
        outbox.mail(event, user, "assigned")


def _lead_taken_over(_app, event, data, incident):
    previous = db.session.scalar(select(User).where(User.username == data.get("previous")))
    if previous is not None and previous.username != event.actor_name:
        outbox.notify_in_app(event, previous, "assigned")
        outbox.mail(event, previous, "assigned")


def _reminder_due(_app, event, data, incident):
    holders = current_holders(incident) if incident else {}
    for role in ("lead", "spokesperson"):
        if role in holders:
            outbox.notify_in_app(event, holders[role].user, "reminder")
            outbox.mail(event, holders[role].user, "reminder")


def _regulatory_reminder(_app, event, data, incident):
    # a missed supervisory deadline is owed reasons: mailed whatever the preference
    users = {u.id: u for role in ("compliance", "management") for u in _users_with_role(role)}
    for user in _may_know(users.values(), incident):
        outbox.notify_in_app(event, user, "regulatory")
        outbox.mail(event, user, "regulatory", mandatory=True)


def _drill_inject(_app, event, data, incident):
    # the participants see the inject arrive under their bell (never by mail: it is a drill)
    drill = db.session.scalar(select(Drill).where(Drill.id == data.get("drill")))
    names = drill.participant_names() if drill is not None else []
    if not names:
        return
    people = db.session.scalars(select(User).where(User.username.in_(names), User.active.is_(True)))
    for user in _may_know(list(people), incident):
        outbox.notify_in_app(event, user, "drill")


def _any_event(_app, event, data, incident):
    if event.incident_id is None or (incident is not None and incident.drill):
        return  # a drill rehearses the desk; the bank's other systems never hear of it
    hooks = select(Webhook).where(Webhook.active.is_(True))
    if incident is not None and incident.restricted:  # only where the admin chose so
        hooks = hooks.where(Webhook.restricted_events.is_(True))
    for hook in db.session.scalars(hooks):
        kinds = json.loads(hook.events or "[]")
        if not kinds or event.kind in kinds:
            outbox.webhook(event, hook.id)


def connect_receivers() -> None:
    """Connect every receiver to its signal (idempotent:
    blinker keeps one connection per receiver).
    """
    signals.escalation_due.connect(_escalation_due)
    signals.incident_opened.connect(_incident_opened)
    signals.response_submitted.connect(_response_submitted)
    signals.response_approved.connect(_response_decided)
    signals.response_rejected.connect(_response_decided)
    signals.role_assigned.connect(_role_assigned)
    signals.lead_taken_over.connect(_lead_taken_over)
    signals.reminder_due.connect(_reminder_due)
    signals.regulatory_reminder_due.connect(_regulatory_reminder)
    signals.drill_inject.connect(_drill_inject)
    signals.event_committed.connect(_any_event)
