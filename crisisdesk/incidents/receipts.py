"""Signed alerts seen within their time window: a second delivery of one is a replay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from .. import clock
from ..database import insert_ignore
from ..extensions import db
from .models import AlertReceipt


def record_receipts(receipts: dict[str, datetime]) -> bool:
    """Forget expired receipts and record these in the
    caller's transaction; False if one was already seen.

    The key is the primary key, so of two identical requests at once exactly one inserts it
    (PostgreSQL makes the second wait for the first to commit; SQLite writers queue anyway).
    """
    db.session.execute(
        delete(AlertReceipt)
        .where(AlertReceipt.expires_at < clock.now())
        .execution_options(synchronize_session=False)
    )
    fresh = True
    for key, expires_at in sorted(receipts.items()):
        fresh = insert_ignore(AlertReceipt, "key", key=key, expires_at=expires_at) == 1 and fresh
    return fresh
