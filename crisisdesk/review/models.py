"""Post-mortem tables, action items, and the record of chain verifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db


class Postmortem(db.Model):
    """What the team learned from one incident (every edit is also a timeline event)."""

    __tablename__ = "postmortem"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id"), primary_key=True, autoincrement=False
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    went_well: Mapped[str] = mapped_column(Text, default="")
    went_badly: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    updated_by: Mapped[User] = relationship(lazy="joined")


class ActionItem(db.Model):
    """Something to do because of an incident, tracked until done."""

    __tablename__ = "action_item"
    __table_args__ = (Index("ix_action_item_open", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  #: open | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditRun(db.Model):
    """One verification of the chain, the recorded tables and the triggers: when, and whether they held."""

    __tablename__ = "audit_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    ok: Mapped[bool]
    events_checked: Mapped[int]
    first_bad_event: Mapped[int | None] = mapped_column(nullable=True)
    by: Mapped[str] = mapped_column(String(64), default="system")
    #: which check failed first: chain, records, triggers or checkpoints (null when all held)
    failed_check: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: its problem word (altered, row_differs, missing_triggers, …)
    problem: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: what it concerns: "table #row field", the missing triggers, the checkpoint file
    detail: Mapped[str | None] = mapped_column(String(500), nullable=True)
