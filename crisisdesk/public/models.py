"""The public notice of an incident: its public address and what the desk chose to show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..database import UTCDateTime
from ..extensions import db


class PublicNotice(db.Model):
    """One incident's page on the public site; its updates are the incident's website responses."""

    __tablename__ = "public_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    #: the page's address under the public prefix; random, so it tells nothing about the desk
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: whether the page names the incident's reference (chosen by the lead or an administrator)
    show_ref: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: taken off the index (the page stays at its address, marked as ended)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PublicSiteState(db.Model):
    """How far the written public files have caught up with the timeline (one row)."""

    __tablename__ = "public_site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the last timeline event the written files are known to include
    rendered_seq: Mapped[int] = mapped_column(default=0)
