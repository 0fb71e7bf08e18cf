"""Post-mortem tables and action items (the record of chain verifications is in audit/)."""

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
