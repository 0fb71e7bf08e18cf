"""Enqueue deliveries and in-app notes idempotently: the same key twice is one row."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import Delivery, MailPreference, Notification

#: kinds a user may switch mail off for (escalations of severity 1-2 are always mailed)
MAIL_KINDS = ("escalation", "incident_opened", "review", "review_result", "assigned", "reminder")


def insert_ignore(model, unique_column: str = "key", **values) -> None:
    """INSERT … ON CONFLICT DO NOTHING on the unique column (SQLite and PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=[unique_column]))


def notify_in_app(event, user, kind: str) -> None:
    """Put a note under the user's bell (once per event and user)."""
    insert_ignore(Notification, key=f"{event.seq}:inapp:{user.id}", user_id=user.id, event_seq=event.seq,
                   incident_id=event.incident_id, kind=kind, created_at=event.at)


def mail(event, user, kind: str, mandatory: bool = False) -> None:
    """Queue a mail to the user unless they switched this kind off (or it is mandatory)."""
    if not user.active or not user.email:
        return
    if not mandatory and not wants_mail(user.id, kind):
        return
    insert_ignore(Delivery, key=f"{event.seq}:mail:{user.id}", event_seq=event.seq, channel="mail",
                   user_id=user.id, next_attempt_at=event.at)


def webhook(event, hook_id: int) -> None:
    """Queue a webhook call for the event."""
    insert_ignore(Delivery, key=f"{event.seq}:webhook:{hook_id}", event_seq=event.seq, channel="webhook",
                   webhook_id=hook_id, next_attempt_at=event.at)


def wants_mail(user_id: int, kind: str) -> bool:
    """Mail is on unless the user switched it off."""
    preference = db.session.get(MailPreference, (user_id, kind))
    return preference is None or preference.mail
