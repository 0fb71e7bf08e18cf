"""Audit tables: the schedule of signed checkpoints (the checkpoints themselves live outside the database)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime
from ..extensions import db


class ChainCheckpoint(db.Model):
    """A signed copy of the chain's head, kept outside the database (file, mail); this row schedules them."""

    __tablename__ = "chain_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the head's sequence number; one checkpoint per head
    seq: Mapped[int] = mapped_column(unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    #: when it was signed (part of what is signed)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: base64 Ed25519 signature of the canonical JSON of {seq, hash, at}
    signature: Mapped[str] = mapped_column(String(100))
    #: the file's name in the checkpoint folder
    file: Mapped[str] = mapped_column(String(255))
    #: the address it is mailed to (AUDIT_MAIL when it was written); null: not mailed
    mail_to: Mapped[str | None] = mapped_column(String(254), nullable=True)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    mail_attempts: Mapped[int] = mapped_column(default=0)
    #: when the last attempt began (compare-and-set by the worker)
    mail_tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    mail_error: Mapped[str] = mapped_column(Text, default="")
