"""Drill tables: a drill running on its own incident, and each inject it released (once)."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db

STATUSES = ("running", "paused", "ended")


class Drill(db.Model):
    """A rehearsal of one script on the real desk; its incident is marked as a drill."""

    __tablename__ = "drill"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    script_slug: Mapped[str] = mapped_column(String(100))
    #: the exact script text the drill runs (its hash is the report's evidence)
    script_version_id: Mapped[int] = mapped_column(ForeignKey("content_version.id"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    announced: Mapped[bool] = mapped_column(default=True)
    participants: Mapped[str] = mapped_column(Text, default="[]")  #: JSON list of usernames
    status: Mapped[str] = mapped_column(String(10), default="running", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: JSON list of [paused_at, resumed_at or null] in ISO form: the drill's clock stands still
    pauses: Mapped[str] = mapped_column(Text, default="[]")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])

    def pause_spans(self) -> list[tuple[datetime, datetime | None]]:
        """The pauses as (start, end or None while paused)."""
        return [
            (datetime.fromisoformat(a), datetime.fromisoformat(b) if b else None)
            for a, b in json.loads(self.pauses or "[]")
        ]

    def participant_names(self) -> list[str]:
        return list(json.loads(self.participants or "[]"))


class DrillRelease(db.Model):
    """One inject (or one post of a wave) put on the drill's timeline; the key makes it once."""

    __tablename__ = "drill_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id"), index=True)
    #: "<drill id>:<release key>": unique, so two workers never release one inject twice
    key: Mapped[str] = mapped_column(String(140), unique=True)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class DrillPlan(db.Model):
    """When a scenario is next to be exercised (the yearly programme); absent: not planned."""

    __tablename__ = "drill_plan"

    #: the script's file name without language: drills/<scenario>.<de|en>.md
    scenario: Mapped[str] = mapped_column(String(100), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
