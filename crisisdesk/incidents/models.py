"""Incident tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db
from ..library.models import ContentVersion

STATUSES = ("open", "monitoring", "resolved", "closed")
#: board order: live incidents first
STATUS_RANK = {"open": 0, "monitoring": 1, "resolved": 2, "closed": 3}
STEP_STATUSES = ("pending", "notified", "acknowledged", "cancelled")


class RefCounter(db.Model):
    """The last incident number handed out per year (CD-2026-0042)."""

    __tablename__ = "incident_ref_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Incident(db.Model):
    """Something happening in public that the desk is handling."""

    __tablename__ = "incident"
    __table_args__ = (
        # the board lists only incidents everyone may see, in this order: walked in order from
        # the cursor, never every incident sorted (SQLite chose the restricted index and sorted)
        Index("ix_incident_board", "restricted", "status_rank", "severity", "opened_at", "id"),
        Index("ix_incident_newest", "opened_at", "id"),
        # the need-to-know list reads the few restricted incidents, not every incident ever opened
        Index("ix_incident_restricted", "restricted", "opened_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: 1 crisis, 2 major, 3 minor, 4 watch
    severity: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    status_rank: Mapped[int] = mapped_column(default=0)
    playbook_slug: Mapped[str] = mapped_column(String(100))
    #: the exact playbook text the incident was opened with
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("content_version.id"))
    #: JSON list of channel names
    channels: Mapped[str] = mapped_column(Text, default="[]")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: when the last update-cadence reminder was raised (compare-and-set by the worker)
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: inbound alerts with the same key add to this incident while it is not closed
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    #: the closed incident an alert with the same dedupe key came back to (this one follows it)
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), nullable=True)
    #: need to know: only its role holders, named members and administrators see it
    restricted: Mapped[bool] = mapped_column(default=False)
    #: a rehearsal (drills/): marked DRILL everywhere, kept out of real figures and publication
    drill: Mapped[bool] = mapped_column(default=False)

    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id], lazy="joined")
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id], lazy="joined")
    playbook_version: Mapped[ContentVersion] = relationship(lazy="select")
    steps: Mapped[list[EscalationStep]] = relationship(
        back_populates="incident",
        order_by="(EscalationStep.due_at, EscalationStep.id)",
        lazy="select",
    )
    checklist: Mapped[list[IncidentChecklistItem]] = relationship(
        order_by="IncidentChecklistItem.position", lazy="select"
    )
    assignments: Mapped[list[RoleAssignment]] = relationship(
        order_by="RoleAssignment.assumed_at", lazy="select"
    )
    links: Mapped[list[SourceLink]] = relationship(order_by="SourceLink.id", lazy="select")
    members: Mapped[list[IncidentMember]] = relationship(
        order_by="IncidentMember.id", lazy="select"
    )


class EscalationStep(db.Model):
    """Who must act by when: pending → notified → acknowledged, or cancelled."""

    __tablename__ = "escalation_step"
    __table_args__ = (Index("ix_escalation_step_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    #: identity across re-planning: the n-th step for this role in the policy
    key: Mapped[str] = mapped_column(String(40))
    severity: Mapped[int]
    after_minutes: Mapped[int]
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    target_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(Text)
    #: the rules told in turn: the duty's holder, the role's holders, the fallback duty's holder
    target_duty: Mapped[str | None] = mapped_column(String(40), nullable=True)
    fallback_duty: Mapped[str | None] = mapped_column(String(40), nullable=True)
    repeat_after: Mapped[int | None] = mapped_column(nullable=True)
    #: how many rules have been told (0: not due yet)
    stage: Mapped[int] = mapped_column(default=0)
    #: the person told in person at the current rule, if it is a duty
    notified_user: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: when the next rule is told unless someone acknowledges first
    next_rule_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )

    incident: Mapped[Incident] = relationship(back_populates="steps")
    acknowledged_by: Mapped[User | None] = relationship(lazy="joined")

    def overdue(self, now: datetime) -> bool:
        """Past its due time (strictly: due now is not late yet) and nobody has acknowledged it."""
        return self.status in ("pending", "notified") and self.due_at < now


class RoleAssignment(db.Model):
    """Who held an incident role from when to when."""

    __tablename__ = "role_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    #: indexed: who may see a need-to-know incident is asked per reader (permissions.py)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assumed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class IncidentChecklistItem(db.Model):
    """One checklist item copied from the playbook."""

    __tablename__ = "incident_checklist_item"
    __table_args__ = (
        UniqueConstraint("incident_id", "item_key", name="uq_incident_checklist_item_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(default=False)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    done_by: Mapped[User | None] = relationship(lazy="joined")


class IncidentMember(db.Model):
    """Someone named to see a restricted incident without holding a role on it."""

    __tablename__ = "incident_member"
    __table_args__ = (UniqueConstraint("incident_id", "user_id", name="uq_incident_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class SourceLink(db.Model):
    """A public post or page the incident is about."""

    __tablename__ = "source_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class AlertReceipt(db.Model):
    """A signed alert's signature or delivery id,
    kept while a replay of it would still be on time.
    """

    __tablename__ = "alert_receipt"

    #: `sig:<hex signature>` or `delivery:<sha256 of the X-CrisisDesk-Delivery id>`
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: after this the sender's timestamp is too old anyway; the row is pruned
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
