"""Notification tables: the worker's cursor, deliveries
(the outbox), in-app notes, webhooks, preferences.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..database import UTCDateTime
from ..extensions import db


class WorkerCursor(db.Model):
    """The last timeline event the workers have turned into deliveries."""

    __tablename__ = "worker_cursor"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Delivery(db.Model):
    """One message to one recipient over one channel;
    `key` makes a retry or a second worker harmless.
    """

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: event seq + channel + recipient; also sent as X-CrisisDesk-Delivery so receivers can dedupe
    key: Mapped[str] = mapped_column(String(120), unique=True)
    event_seq: Mapped[int] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(20))  #: mail | webhook
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhook.id"), nullable=True)
    #: pending | sending | sent | failed; held while its
    #: webhook is paused, then pending again or cancelled
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: 1 for escalations and legal reviews (sent first), 0 for the rest; set when queued
    priority: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: why an admin cancelled it instead of sending it
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class Notification(db.Model):
    """An in-app message under the bell."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    event_seq: Mapped[int]
    incident_id: Mapped[int | None] = mapped_column(nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Webhook(db.Model):
    """An HTTP endpoint that receives signed JSON for the event kinds it wants."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: HMAC key; kept as is because every delivery is signed with it
    secret: Mapped[str] = mapped_column(String(200))
    #: JSON list of event kinds; empty: all
    events: Mapped[str] = mapped_column(Text, default="[]")
    format: Mapped[str] = mapped_column(
        String(20), default="json"
    )  #: json | chat (Slack) | teams (card)
    active: Mapped[bool] = mapped_column(default=True)
    #: whether it also gets the events of restricted (need-to-know) incidents
    restricted_events: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class MailPreference(db.Model):
    """A user's choice to get (or not) mail for one kind of notification."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    mail: Mapped[bool] = mapped_column(default=True)
