"""verify_records(): the tables the chain speaks of, checked against the events that recorded them.

Incidents and what hangs off them are checked a range of incident ids at a time: the range's rows
and the range's events (the (incident_id, seq) index), so neither table is ever read whole. One
snapshot throughout (REPEATABLE READ on PostgreSQL; SQLite's read transaction is one already), so a
change committed meanwhile is never half seen.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..incidents.models import Incident
from ..responses.models import Response, ResponseRevision, Review
from ..timeline.models import TimelineEvent as Event
from ..timeline.scopes import RESPONSE_KINDS
from .evidence_records import check_evidence
from .findings import STREAM, Mismatch, RecordsReport, _Findings
from .library_records import _check_approvals, _check_versions
from .replay import (
    INCIDENT_KINDS,
    decode,
    differences,
    incident_state,
    response_story,
)

BATCH_INCIDENTS = 200

__all__ = ["BATCH_INCIDENTS", "STREAM", "Mismatch", "RecordsReport", "verify_records"]


def verify_records(batch_size: int = BATCH_INCIDENTS) -> RecordsReport:
    """Replay the events of incidents, responses,
    sign-offs and content versions; compare with the rows.
    """
    found = _Findings()
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        users = dict(conn.execute(select(User.id, User.username)).all())
        for low, high in _incident_ranges(conn, batch_size):
            _check_incident_range(conn, low, high, users, found)
        _check_approvals(conn, users, found)
        _check_versions(conn, found)
        check_evidence(conn, found)
    return RecordsReport(found.count == 0, found.checked, found.count, found.first)


def _incident_ranges(conn, size: int):
    """(low, high] ranges of incident ids; the last one
    open-ended, so events of a vanished incident count.
    """
    low = 0
    while True:
        ids = conn.scalars(
            select(Incident.id).where(Incident.id > low).order_by(Incident.id).limit(size)
        ).all()
        if len(ids) < size:
            yield low, None
            return
        yield low, ids[-1]
        low = ids[-1]


def _within(column, low: int, high: int | None) -> list:
    return [column > low] + ([column <= high] if high is not None else [])


def _check_incident_range(conn, low: int, high: int | None, users: dict, found: _Findings) -> None:
    incident_events, response_events = defaultdict(list), defaultdict(list)
    # kind || '': an expression no index serves, so the range is read through (incident_id, seq);
    # given the index on kind, SQLite would read every response event of all time for each range
    rows = conn.execute(
        select(Event.seq, Event.kind, Event.incident_id, Event.actor_name, Event.data)
        .where(
            (Event.kind + "").in_(INCIDENT_KINDS + RESPONSE_KINDS),
            *_within(Event.incident_id, low, high),
        )
        .order_by(Event.seq),
        execution_options=STREAM,
    )
    for row in rows:
        event = decode(*row)
        if event.kind in INCIDENT_KINDS:
            incident_events[event.incident_id].append(event)
        else:
            response_id = event.data.get("response")
            response_events[response_id if isinstance(response_id, int) else None].append(event)
    _check_incidents(conn, low, high, incident_events, found)
    stories = {
        response_id: response_story(events) for response_id, events in response_events.items()
    }
    _check_responses(conn, low, high, stories, users, found)
    _check_revisions(conn, low, high, stories, users, found)
    _check_reviews(conn, low, high, stories, users, found)


def _check_incidents(conn, low, high, events_of: dict, found: _Findings) -> None:
    columns = (
        Incident.id,
        Incident.ref,
        Incident.title,
        Incident.summary,
        Incident.severity,
        Incident.status,
    )
    for row in conn.execute(
        select(*columns).where(*_within(Incident.id, low, high)).order_by(Incident.id)
    ):
        found.checked += 1
        events = events_of.pop(row.id, None)
        if not events:
            found.add(None, "row_without_event", "incident", row.id)
            continue
        for name, seq in differences(incident_state(events), row._asdict()):
            found.add(seq, "row_differs", "incident", row.id, name)
    for incident_id, events in events_of.items():
        found.add(events[0].seq, "row_missing", "incident", incident_id)


def _check_responses(conn, low, high, stories: dict, users: dict, found: _Findings) -> None:
    columns = (
        Response.id,
        Response.incident_id,
        Response.channel,
        Response.status,
        Response.revision,
        Response.approved_revision,
        Response.published_at,
        Response.published_url,
        Response.published_by_id,
        Response.retract_reason,
    )
    seen = set()
    for row in conn.execute(
        select(*columns).where(*_within(Response.incident_id, low, high)).order_by(Response.id)
    ):
        found.checked += 1
        seen.add(row.id)
        story = stories.get(row.id)
        if story is None:
            found.add(None, "row_without_event", "response", row.id)
            continue
        actual = {**row._asdict(), "published_by": users.get(row.published_by_id)}
        for name, seq in differences(story.state, actual):
            found.add(seq, "row_differs", "response", row.id, name)
    for response_id, story in stories.items():
        if response_id not in seen:
            found.add(story.first_seq, "row_missing", "response", response_id)


def _check_revisions(conn, low, high, stories: dict, users: dict, found: _Findings) -> None:
    columns = (
        ResponseRevision.id,
        ResponseRevision.response_id,
        ResponseRevision.number,
        ResponseRevision.body,
        ResponseRevision.hash,
        ResponseRevision.author_id,
    )
    query = (
        select(*columns)
        .join(Response, Response.id == ResponseRevision.response_id)
        .where(*_within(Response.incident_id, low, high))
        .order_by(ResponseRevision.id)
    )
    seen = set()
    for row in conn.execute(query, execution_options=STREAM):
        found.checked += 1
        seen.add((row.response_id, row.number))
        story = stories.get(row.response_id)
        hash_, author, seq = (
            story.revisions.get(row.number, (None, None, None)) if story else (None, None, None)
        )
        if hashlib.sha256(row.body.encode("utf-8")).hexdigest() != row.hash:
            found.add(seq, "row_differs", "response_revision", row.id, "body")
        if seq is None:
            found.add(None, "row_without_event", "response_revision", row.id)
        elif row.hash != hash_:
            found.add(seq, "row_differs", "response_revision", row.id, "hash")
        elif users.get(row.author_id) != author:
            found.add(seq, "row_differs", "response_revision", row.id, "author")
    for response_id, story in stories.items():
        for number, (_hash, _author, seq) in story.revisions.items():
            if (response_id, number) not in seen:
                found.add(seq, "row_missing", "response_revision", None)


def _check_reviews(conn, low, high, stories: dict, users: dict, found: _Findings) -> None:
    query = (
        select(
            Review.id,
            Review.response_id,
            Review.revision,
            Review.decision,
            Review.comment,
            Review.reviewer_id,
        )
        .join(Response, Response.id == Review.response_id)
        .where(*_within(Response.incident_id, low, high))
        .order_by(Review.id)
    )
    rows_of = defaultdict(list)
    for row in conn.execute(query):
        found.checked += 1
        rows_of[row.response_id].append(row)
    # one response's reviews are made one after the other (the status moves under a conditional
    # UPDATE), so the n-th row by id is the n-th review event
    for response_id in set(rows_of) | {key for key, story in stories.items() if story.reviews}:
        rows, told = (
            rows_of.get(response_id, []),
            stories[response_id].reviews if response_id in stories else [],
        )
        for index in range(max(len(rows), len(told))):
            if index >= len(told):
                found.add(None, "row_without_event", "response_review", rows[index].id)
            elif index >= len(rows):
                found.add(told[index][1], "row_missing", "response_review", None)
            else:
                row, (expected, seq) = rows[index], told[index]
                actual = {
                    "revision": row.revision,
                    "decision": row.decision,
                    "comment": row.comment or "",
                    "reviewer": users.get(row.reviewer_id),
                }
                for name in (name for name in expected if actual[name] != expected[name]):
                    found.add(seq, "row_differs", "response_review", row.id, name)
