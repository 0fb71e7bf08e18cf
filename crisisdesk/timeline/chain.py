"""Append to and verify the hash chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from .. import clock
from ..database import is_write_transaction
from ..extensions import db
from .models import GENESIS_HASH, ChainHead, TimelineEvent

SYSTEM_ACTOR = "system"


def canonical_json(value: Any) -> str:
    """Serialise `value` the one way the chain hashes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_at(at: datetime) -> str:
    """Format a timestamp exactly as it is hashed."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, seq: int, at: datetime, kind: str, incident_id: int | None,
               actor_name: str, data: str) -> str:
    """Hash one event together with the hash before it."""
    body = canonical_json({"seq": seq, "at": format_at(at), "kind": kind,
                           "incident_id": incident_id, "actor": actor_name, "data": data})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append_event(kind: str, *, actor, data: dict | None = None, incident_id: int | None = None,
                 at: datetime | None = None) -> TimelineEvent:
    """Add one event to the chain inside the caller's transaction (the caller commits)."""
    if not is_write_transaction():
        raise RuntimeError("append_event() needs database.begin_write() first")
    head = db.session.execute(
        select(ChainHead).where(ChainHead.id == 1).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    at = at or clock.now()
    seq = head.seq + 1
    actor_name = actor.username if actor is not None else SYSTEM_ACTOR
    text = canonical_json(data or {})
    digest = event_hash(head.hash, seq, at, kind, incident_id, actor_name, text)
    row = TimelineEvent(seq=seq, at=at, kind=kind, incident_id=incident_id,
                        actor_id=getattr(actor, "id", None), actor_name=actor_name,
                        data=text, prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class ChainReport:
    """What verify_chain() found."""

    ok: bool
    events_checked: int
    first_bad_event: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict:
        report = {"ok": self.ok, "events_checked": self.events_checked}
        if not self.ok:
            report["first_bad_event"] = self.first_bad_event
            report["problem"] = self.problem
        return report


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first event that does not fit."""
    columns = (TimelineEvent.seq, TimelineEvent.at, TimelineEvent.kind, TimelineEvent.incident_id,
               TimelineEvent.actor_name, TimelineEvent.data, TimelineEvent.prev_hash,
               TimelineEvent.hash)
    rows = db.session.execute(
        select(*columns).order_by(TimelineEvent.seq).execution_options(yield_per=batch_size)
    )
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    for seq, at, kind, incident_id, actor_name, data, prev_hash, stored in rows:
        if seq != expected_seq:
            rows.close()
            return ChainReport(False, checked, expected_seq, "missing")
        if prev_hash != prev:
            rows.close()
            return ChainReport(False, checked, seq, "broken_link")
        if event_hash(prev, seq, at, kind, incident_id, actor_name, data) != stored:
            rows.close()
            return ChainReport(False, checked, seq, "altered")
        prev, expected_seq, checked = stored, seq + 1, checked + 1
    head = db.session.get(ChainHead, 1)
    if head is None or head.seq != checked or head.hash != prev:
        return ChainReport(False, checked, checked + 1, "missing")
    return ChainReport(True, checked)


def decoded_data(event: TimelineEvent) -> dict:
    """Return an event's data as a dict."""
    return json.loads(event.data)
