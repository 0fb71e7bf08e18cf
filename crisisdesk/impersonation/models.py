"""The registry of the bank's official accounts, and the fakes found during incidents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..database import UTCDateTime
from ..extensions import db


class OfficialAccount(db.Model):
    """One account of the bank on one platform: who owns it, who holds its second factor."""

    __tablename__ = "official_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(300))
    verified: Mapped[bool] = mapped_column(default=False)
    purpose: Mapped[str] = mapped_column(String(300), default="")
    owner: Mapped[str] = mapped_column(String(100), default="")
    second_factor: Mapped[str] = mapped_column(String(100), default="")  #: who holds it
    recovery_contacts: Mapped[str] = mapped_column(Text, default="")
    last_access_review: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: a retired account stays in the registry (and its history) but leaves the public page
    active: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class SuspectItem(db.Model):
    """A fake in the bank's name found in an incident: a profile, post, domain, number or app."""

    __tablename__ = "suspect_item"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    platform: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(500))  #: as given (a link, domain or number)
    #: the normalised address: the same fake pasted twice is one item
    key: Mapped[str] = mapped_column(String(500))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    reach: Mapped[int | None] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(15), default="found")
    platform_reference: Mapped[str] = mapped_column(String(100), default="")
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class Evidence(db.Model):
    """A screenshot or document kept as evidence: the file lies outside the database under its
    SHA-256, and the timeline records that hash, so `audit verify` notices a changed file."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("incident_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(String(200), default="")
    stripped: Mapped[bool] = mapped_column(default=False)  #: image metadata removed on upload
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
