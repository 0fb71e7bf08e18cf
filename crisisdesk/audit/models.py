"""Audit tables: the verifications run, and the schedule of signed checkpoints
(the checkpoints themselves live outside the database).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..database import UTCDateTime
from ..extensions import db


class ChainCheckpoint(db.Model):
    """A signed copy of the chain's head, kept outside
    the database (file, mail); this row schedules them.
    """

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


class AuditRun(db.Model):
    """One verification of the chain, the recorded tables
    and the triggers: when, and whether they held.
    """

    __tablename__ = "audit_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    ok: Mapped[bool]
    events_checked: Mapped[int]
    first_bad_event: Mapped[int | None] = mapped_column(nullable=True)
    by: Mapped[str] = mapped_column(String(64), default="system")
    #: which check failed first: chain, records, triggers or checkpoints (null when all held)
    failed_check: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: its problem word (altered, row_differs, missing_triggers, …)
    problem: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: what it concerns: "table #row field", the missing triggers, the checkpoint file
    detail: Mapped[str | None] = mapped_column(String(500), nullable=True)
