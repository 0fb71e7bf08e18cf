"""The library side of verify_records(): statement sign-offs and content versions."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict, deque

from sqlalchemy import select

from ..library.models import ContentVersion, StatementApproval
from ..timeline.models import TimelineEvent as Event
from .findings import STREAM, _Findings
from .replay import decode


def _text(value) -> str | None:
    """A text from event data, to key by (anything else keys as None and so matches no row)."""
    return value if isinstance(value, str) else None


def _check_approvals(conn, users: dict, found: _Findings) -> None:
    told = defaultdict(deque)  # (slug, sha256) → sign-offs in chain order; a few per statement
    for seq, actor, data in conn.execute(
        select(Event.seq, Event.actor_name, Event.data)
        .where(Event.kind == "statement_approved")
        .order_by(Event.seq)
    ):
        event = decode(seq, "statement_approved", None, actor, data)
        told[(_text(event.data.get("statement")), _text(event.data.get("sha256")))].append(event)
    free = StatementApproval.__table__.c.get("free_placeholders")
    columns = [
        StatementApproval.id,
        StatementApproval.slug,
        StatementApproval.sha256,
        StatementApproval.review_by,
        StatementApproval.approved_by_id,
        ContentVersion.slug.label("version_slug"),
        ContentVersion.sha256.label("version_sha256"),
    ] + ([free] if free is not None else [])
    query = (
        select(*columns)
        .outerjoin(ContentVersion, ContentVersion.id == StatementApproval.version_id)
        .order_by(StatementApproval.id)
    )
    unmatched = []
    for row in conn.execute(query, execution_options=STREAM):
        found.checked += 1
        queue = told.get((row.slug, row.sha256))
        if queue:
            _compare_approval(row, queue.popleft(), users, found)
        else:
            unmatched.append(row)
    # a row whose slug or hash was changed still meets its event here, so the row itself is named
    left = sorted(
        (event for queue in told.values() for event in queue), key=lambda event: event.seq
    )
    for index in range(max(len(unmatched), len(left))):
        if index >= len(left):
            found.add(None, "row_without_event", "statement_approval", unmatched[index].id)
        elif index >= len(unmatched):
            found.add(left[index].seq, "row_missing", "statement_approval", None)
        else:
            _compare_approval(unmatched[index], left[index], users, found)


def _compare_approval(row, event, users: dict, found: _Findings) -> None:
    data = event.data
    actual = {
        "slug": row.slug,
        "sha256": row.sha256,
        "review_by": row.review_by.isoformat(),
        "approved_by": users.get(row.approved_by_id),
        "version_id": (row.version_slug, row.version_sha256) == (row.slug, row.sha256),
    }
    expected = {
        "slug": data.get("statement"),
        "sha256": data.get("sha256"),
        "review_by": data.get("review_by"),
        "approved_by": event.actor,
        "version_id": True,
    }
    if "free_placeholders" in data and hasattr(row, "free_placeholders"):
        stored = json.loads(row.free_placeholders) if row.free_placeholders else None
        actual["free_placeholders"] = stored or None
        expected["free_placeholders"] = data["free_placeholders"] or None
    for name in (name for name in expected if actual[name] != expected[name]):
        found.add(event.seq, "row_differs", "statement_approval", row.id, name)


def _check_versions(conn, found: _Findings) -> None:
    # (kind, slug, sha256) → seq of the content_synced event: one per content file version
    told = {}
    for seq, data in conn.execute(
        select(Event.seq, Event.data).where(Event.kind == "content_synced").order_by(Event.seq)
    ):
        for version in decode(seq, "content_synced", None, "", data).data.get("versions") or []:
            if isinstance(version, dict):
                told[tuple(_text(version.get(name)) for name in ("kind", "slug", "sha256"))] = seq
    query = select(
        ContentVersion.id,
        ContentVersion.kind,
        ContentVersion.slug,
        ContentVersion.sha256,
        ContentVersion.text,
    ).order_by(ContentVersion.id)
    for row in conn.execute(query, execution_options=STREAM):
        found.checked += 1
        seq = told.pop((row.kind, row.slug, row.sha256), None)
        if hashlib.sha256(row.text.encode("utf-8")).hexdigest() != row.sha256:
            found.add(seq, "row_differs", "content_version", row.id, "text")
        elif seq is None:
            found.add(None, "row_without_event", "content_version", row.id)
    for (_kind, _slug, _sha256), seq in told.items():
        found.add(seq, "row_missing", "content_version", None)
