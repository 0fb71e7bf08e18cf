"""The registry of the bank's official accounts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
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
