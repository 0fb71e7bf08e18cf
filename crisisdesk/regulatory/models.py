"""An incident's regulatory assessment (one row, each change a timeline event) and the reports
the bank made to authorities (append-only, like the events that record them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db


class Assessment(db.Model):
    """Whether an incident is a major ICT-related incident under DORA; a personal-data breach."""

    __tablename__ = "regulatory_assessment"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id"), primary_key=True, autoincrement=False
    )
    #: criterion → {"met": bool, "value": str, "evidence": str}, as JSON
    criteria: Mapped[str] = mapped_column(Text, default="{}")
    #: major | not_major | not_ict; None while undecided
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reasons: Mapped[str] = mapped_column(Text, default="")
    #: the criteria that made it major, e.g. "critical_services+clients+reputational"
    rule: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    personal_data_breach: Mapped[bool] = mapped_column(default=False)
    #: when the bank became aware: the incident's detected-at unless corrected (with a reason)
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime())
    aware_reason: Mapped[str] = mapped_column(Text, default="")
    #: when it was classified major (the DORA clocks start here)
    major_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: when a major incident was found not major after all (its DORA clocks stop)
    reclassified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    decided_by: Mapped[User | None] = relationship(lazy="joined")


class Submission(db.Model):
    """A report the bank made to an authority; the desk records it and never submits."""

    __tablename__ = "regulatory_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    #: dora_initial | dora_intermediate | dora_final | dora_reclassification | gdpr_art33
    kind: Mapped[str] = mapped_column(String(30))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reference: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    #: why it went in after its due time (required then: the authority is owed the reasons)
    late_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    recorded_by: Mapped[User] = relationship(lazy="joined")


class ClockReminder(db.Model):
    """A reminder the worker sent for one clock at one lead time: the key makes it once only."""

    __tablename__ = "regulatory_reminder"

    #: "<incident id>:<clock kind>:<due at, ISO>:<minutes before, or 'overdue'>"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
