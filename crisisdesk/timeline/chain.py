"""Append to and verify the hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

from .. import clock
from ..database import is_write_transaction
from ..extensions import db
from .models import GENESIS_HASH, ChainHead, TimelineEvent
from .scopes import heads_moved

SYSTEM_ACTOR = "system"


def canonical_json(value: Any) -> str:
    """Serialise `value` the one way the chain hashes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_at(at: datetime) -> str:
    """Format a timestamp exactly as it is hashed."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_quote = json.encoder.encode_basestring  # the string encoder json.dumps(ensure_ascii=False) uses


def hashed_body(
    seq: int, at_text: str, kind: str, incident_id: int | None, actor_name: str, data: str
) -> str:
    """canonical_json() of the hashed fields, spelled out (keys sorted).

    Spelled out because verify runs it a million times.
    """
    incident = "null" if incident_id is None else str(int(incident_id))
    return (
        f'{{"actor":{_quote(actor_name)},"at":{_quote(at_text)},"data":{_quote(data)},'
        f'"incident_id":{incident},"kind":{_quote(kind)},"seq":{int(seq)}}}'
    )


def event_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    kind: str,
    incident_id: int | None,
    actor_name: str,
    data: str,
) -> str:
    """Hash one event together with the hash before it."""
    body = hashed_body(seq, format_at(at), kind, incident_id, actor_name, data)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append_event(
    kind: str,
    *,
    actor,
    data: dict | None = None,
    incident_id: int | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Add one event to the chain inside the caller's transaction (the caller commits).

    It also moves the heads of the scopes the kind changes (timeline/scopes.py), under the
    chain head's lock; a kind the registry does not know is refused.
    """
    moved = heads_moved(kind, incident_id)
    if not is_write_transaction():
        raise RuntimeError("append_event() needs database.begin_write() first")
    head = db.session.execute(
        select(ChainHead)
        .where(ChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    at = at or clock.now()
    seq = head.seq + 1
    actor_name = actor.username if actor is not None else SYSTEM_ACTOR
    text = canonical_json(data or {})
    digest = event_hash(head.hash, seq, at, kind, incident_id, actor_name, text)
    row = TimelineEvent(
        seq=seq,
        at=at,
        kind=kind,
        incident_id=incident_id,
        actor_id=getattr(actor, "id", None),
        actor_name=actor_name,
        data=text,
        prev_hash=head.hash,
        hash=digest,
    )
    head.seq, head.hash = seq, digest
    db.session.add(row)
    db.session.flush()
    if moved:
        _move_heads(moved, seq)
    return row


#: the same on both databases; a text statement, because SQLAlchemy does not cache the compiled
#: dialect upsert (it cost 0.25 ms of every append)
_MOVE_HEAD = text(
    "INSERT INTO state_head (name, seq) VALUES (:name, :seq) "
    "ON CONFLICT (name) DO UPDATE SET seq = excluded.seq"
)


def _move_heads(names: tuple[str, ...], seq: int) -> None:
    """Set the named heads to `seq`, making rows that do not exist yet."""
    connection = db.session.connection()
    for name in names:
        connection.execute(_MOVE_HEAD, {"name": name, "seq": seq})


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


# Below this many events a second process costs more to start than it saves.
PARALLEL_FROM = 50_000
_COLUMNS = "seq, at, kind, incident_id, actor_name, data, prev_hash, hash"


def verify_chain(batch_size: int = 5000, workers: int = 1) -> ChainReport:
    """Recompute every hash in order; name the first event that does not fit.

    With workers > 1 and a long chain, consecutive ranges are checked in separate processes
    (each from the link its first event names) and the links between the ranges afterwards:
    the same report as one pass, in a fraction of the time on several cores.
    """
    connection = db.session.connection()
    head = db.session.get(ChainHead, 1)
    length = head.seq if head is not None else 0
    if workers > 1 and length >= PARALLEL_FROM:
        parts = _verify_in_processes(
            connection.engine.url.render_as_string(hide_password=False), length, workers
        )
    else:
        parts = [
            _verify_range(
                connection.connection.driver_connection,
                connection.dialect.name == "sqlite",
                1,
                None,
                batch_size,
            )
        ]
    checked, prev = 0, GENESIS_HASH
    for part in parts:
        if part["first_prev"] is not None and part["first_prev"] != prev:
            return ChainReport(False, checked, part["first"], "broken_link")
        if part["problem"]:
            return ChainReport(False, checked + part["checked"], part["bad"], part["problem"])
        checked, prev = checked + part["checked"], part["last"] or prev
    if head is None or head.seq != checked or head.hash != prev:
        return ChainReport(False, checked, checked + 1, "missing")
    return ChainReport(True, checked)


def _verify_in_processes(url: str, length: int, workers: int) -> list[dict]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-length // workers)
    bounds = [
        (first, first + size - 1 if first + size <= length else None)
        for first in range(1, length + 1, size)
    ]
    # fork: a spawned child spends 1.6 s importing the app again. A forked one opens connections
    # of its own, never touches the parent's, and leaves by os._exit(), so it does not close them
    # either.
    with ProcessPoolExecutor(len(bounds), mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_verify_range_at, [url] * len(bounds), *zip(*bounds, strict=True)))


def _verify_range_at(url: str, first: int, last: int | None) -> dict:
    """_verify_range() in a worker process, on a connection of its own."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    connection = engine.raw_connection()
    try:
        return _verify_range(
            connection.driver_connection, engine.dialect.name == "sqlite", first, last
        )
    finally:
        connection.close()
        engine.dispose()


def _verify_range(
    driver_connection, sqlite: bool, first: int, last: int | None, batch_size: int = 5000
) -> dict:
    """Check events first…last (None: to the end) against each other.

    The check starts from the link the first event names. Returns the first event's stored link
    (None when first is 1: the genesis link is checked here), the number checked, the last hash,
    and the first problem found (seq and kind) if any.
    """
    cursor = driver_connection.cursor()
    # The driver's own cursor: building ORM or Core rows would cost more than the hashing itself.
    bound = f" AND seq <= {int(last)}" if last is not None else ""
    cursor.execute(
        f"SELECT {_COLUMNS} FROM timeline_event WHERE seq >= {int(first)}{bound} ORDER BY seq"
    )
    sha256, expected_seq, prev, checked = hashlib.sha256, first, None, 0
    result = {
        "first": first,
        "first_prev": None,
        "checked": 0,
        "last": None,
        "bad": None,
        "problem": None,
    }

    def problem(seq: int, kind: str) -> dict:
        return {**result, "checked": checked, "bad": seq, "problem": kind}

    try:
        while rows := cursor.fetchmany(batch_size):
            for seq, at, kind, incident_id, actor_name, data, prev_hash, stored in rows:
                if seq != expected_seq:
                    return problem(expected_seq, "missing")
                if (
                    prev is None
                ):  # the range's first event: a later range starts from the link it names
                    prev = GENESIS_HASH if first == 1 else prev_hash
                    result["first_prev"] = None if first == 1 else prev_hash
                if prev_hash != prev:
                    return problem(seq, "broken_link")
                at_text = _sqlite_at(at) if sqlite else format_at(at)
                body = hashed_body(seq, at_text, kind, incident_id, actor_name, data)
                if sha256((prev + body).encode("utf-8")).hexdigest() != stored:
                    return problem(seq, "altered")
                prev, expected_seq, checked = stored, seq + 1, checked + 1
    finally:
        cursor.close()
    if last is not None and checked < last - first + 1:
        return problem(expected_seq, "missing")
    return {**result, "checked": checked, "last": prev}


def _sqlite_at(stored: str) -> str:
    """SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' (always with microseconds).

    Reformat it without parsing.
    """
    if len(stored) == 26 and stored[10] == " ":
        return stored[:10] + "T" + stored[11:] + "Z"
    return format_at(datetime.fromisoformat(stored).replace(tzinfo=UTC))


def decoded_data(event: TimelineEvent) -> dict:
    """Return an event's data as a dict."""
    return json.loads(event.data)
