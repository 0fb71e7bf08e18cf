"""Contacts, duties with their rotas and overrides, and the secret addresses of shift calendars."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.models import User
from ..database import UTCDateTime
from ..extensions import db


class Contact(db.Model):
    """Someone the desk's users may need to call, inside the bank or outside it."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    organisation: Mapped[str] = mapped_column(String(120), default="")
    function: Mapped[str] = mapped_column(String(120), default="")
    #: JSON lists: phone numbers as written, ISO 639-1 language codes, lowercase tags
    phones: Mapped[str] = mapped_column(Text, default="[]")
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[str] = mapped_column(Text, default="[]")
    tags: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: the last time someone confirmed the entry is right; a year later it is flagged
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")


class Duty(db.Model):
    """A named duty (legal duty, management duty, …) and the rota that says who holds it."""

    __tablename__ = "duty"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    #: daily | weekly
    period: Mapped[str] = mapped_column(String(10), default="weekly")
    #: usernames in the order they take turns, as JSON
    members: Mapped[str] = mapped_column(Text, default="[]")
    starts_on: Mapped[date] = mapped_column(Date)
    #: the wall-clock hand-over time "HH:MM" in `zone`
    handover: Mapped[str] = mapped_column(String(5), default="08:00")
    zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())


class DutyOverride(db.Model):
    """Someone else holds a duty for a while (a holiday swap), with the reason."""

    __tablename__ = "duty_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duty.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    starts: Mapped[datetime] = mapped_column(UTCDateTime())
    ends: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class CalendarFeed(db.Model):
    """The secret address of one user's shift calendar (only its hash is kept)."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True, autoincrement=False
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
