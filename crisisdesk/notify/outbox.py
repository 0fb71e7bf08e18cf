"""Enqueue deliveries and in-app notes idempotently: the same key twice is one row."""

from __future__ import annotations

from ..database import insert_ignore
from ..extensions import db
from .models import Delivery, MailPreference, Notification

#: kinds a user may switch mail off for (escalations of severity 1-2 are always mailed)
MAIL_KINDS = ("escalation", "incident_opened", "review", "review_result", "assigned", "reminder")
#: deliveries of these events go out before any other: someone must act on them now
URGENT_KINDS = frozenset({"escalation_notified", "response_submitted"})


def priority(event) -> int:
    """1 for deliveries someone must act on at once, else 0."""
    return 1 if event.kind in URGENT_KINDS else 0


def notify_in_app(event, user, kind: str) -> None:
    """Put a note under the user's bell (once per event and user)."""
    insert_ignore(
        Notification,
        key=f"{event.seq}:inapp:{user.id}",
        user_id=user.id,
        event_seq=event.seq,
        incident_id=event.incident_id,
        kind=kind,
        created_at=event.at,
    )


def mail(event, user, kind: str, mandatory: bool = False) -> None:
    """Queue a mail to the user unless they switched this kind off (or it is mandatory)."""
    if not user.active or not user.email:
        return
    if not mandatory and not wants_mail(user.id, kind):
        return
    insert_ignore(
        Delivery,
        key=f"{event.seq}:mail:{user.id}",
        event_seq=event.seq,
        channel="mail",
        user_id=user.id,
        next_attempt_at=event.at,
        priority=priority(event),
    )


def webhook(event, hook_id: int) -> None:
    """Queue a webhook call for the event."""
    insert_ignore(
        Delivery,
        key=f"{event.seq}:webhook:{hook_id}",
        event_seq=event.seq,
        channel="webhook",
        webhook_id=hook_id,
        next_attempt_at=event.at,
        priority=priority(event),
    )


def wants_mail(user_id: int, kind: str) -> bool:
    """Mail is on unless the user switched it off."""
    preference = db.session.get(MailPreference, (user_id, kind))
    return preference is None or preference.mail
