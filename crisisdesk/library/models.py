"""Library tables: every content version ever seen, and legal's sign-offs on statement hashes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db


class ContentVersion(db.Model):
    """One exact version of a content file (full text + SHA-256); never deleted."""

    __tablename__ = "content_version"
    __table_args__ = (
        UniqueConstraint("kind", "slug", "sha256", name="uq_content_version_kind_slug_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "playbook", "statement" (dark pages too), "drill", "qa" or "policy"
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(100), index=True)
    language: Mapped[str] = mapped_column(String(2))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class StatementApproval(db.Model):
    """Legal's sign-off on one statement version, valid until its review date."""

    __tablename__ = "statement_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("content_version.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: the last day the approval holds
    review_by: Mapped[date] = mapped_column(Date)
    #: text placeholders legal let through unreviewed, JSON
    #: {name: {"pattern": str | null, "values": [str]}}
    free_placeholders: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    #: set once the expiry has been written to the timeline
    expiry_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    approved_by: Mapped[User] = relationship(lazy="joined")
    version: Mapped[ContentVersion] = relationship()
