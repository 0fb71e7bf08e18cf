"""Response tables: the response, every revision of its text, every review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db

STATUSES = ("draft", "preapproved", "pending_legal", "approved", "rejected", "published")


class Response(db.Model):
    """What the desk says (or means to say) on one channel in one incident."""

    __tablename__ = "response"
    __table_args__ = (Index("ix_response_review", "status", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    #: who it is for (channels.audiences()); the channel must reach them
    audience: Mapped[str] = mapped_column(String(20), default="public", server_default="public")
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    statement_slug: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: the exact statement text the response came from
    statement_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_version.id"), nullable=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    revision: Mapped[int] = mapped_column(default=1)  #: number of the current revision
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: the revision legal approved (or the pre-approved one); publishing needs it to be current
    approved_revision: Mapped[int | None] = mapped_column(nullable=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    retract_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id], lazy="joined")
    revisions: Mapped[list[ResponseRevision]] = relationship(
        order_by="ResponseRevision.number", lazy="select"
    )
    reviews: Mapped[list[Review]] = relationship(order_by="Review.id", lazy="select")

    # Not stored: set by draft_response to tell the person drafting why the response needs legal.
    draft_reason = None  #: free_text | edited | unapproved | expired | not_free
    draft_message = None

    @property
    def current(self) -> ResponseRevision:
        """The current revision."""
        return next(r for r in self.revisions if r.number == self.revision)


class ResponseRevision(db.Model):
    """One numbered version of a response's text; never changed."""

    __tablename__ = "response_revision"
    __table_args__ = (
        UniqueConstraint("response_id", "number", name="uq_response_revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the body: the timeline proves which text was approved and published
    hash: Mapped[str] = mapped_column(String(64))
    #: JSON of the placeholder values it was filled with (empty for free text)
    values: Mapped[str] = mapped_column(Text, default="{}")
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    author: Mapped[User] = relationship(lazy="joined")


class Review(db.Model):
    """Legal's decision on one revision."""

    __tablename__ = "response_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    revision: Mapped[int]
    decision: Mapped[str] = mapped_column(String(20))  #: approved | rejected
    #: when the reviewed revision was sent to legal (review time = at - submitted_at)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    reviewer: Mapped[User] = relationship(lazy="joined")
