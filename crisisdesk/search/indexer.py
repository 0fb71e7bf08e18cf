"""Keeps the search index in step: every flush that writes a searchable text writes its entry.

It listens to the session, not to the services, so no service can forget it and the entry is in
the same transaction as the text: a rolled-back note leaves no entry, a committed one is found.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from .. import clock
from ..incidents.models import Incident, SourceLink
from ..responses.models import Response, ResponseRevision
from ..review.models import Postmortem
from ..timeline.models import TimelineEvent
from .models import SearchEntry
from .terms import index_terms

POSTMORTEM_FIELDS = ("summary", "went_well", "went_badly", "lessons")


def incident_text(title: str, summary: str) -> str:
    """What an incident is found by: its title and summary."""
    return f"{title}\n{summary}".strip()


def postmortem_text(*parts: str) -> str:
    """What a post-mortem is found by: its four texts."""
    return "\n".join(part for part in parts if part)


def entry(incident_id: int, kind: str, source_id: int, at, text: str) -> dict:
    """One index row for a text."""
    return {
        "incident_id": incident_id,
        "kind": kind,
        "source_id": source_id,
        "at": at,
        "text": text,
        "terms": index_terms(text),
    }


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _entries_of(session: Session) -> tuple[list[dict], list[tuple[str, int]]]:
    """The entries to write, and the (kind, source_id) of entries they replace."""
    rows, replaced = [], []
    for obj in session.new:
        if isinstance(obj, TimelineEvent):
            if obj.kind == "note_added":
                text = json.loads(obj.data).get("text", "")
                rows.append(entry(obj.incident_id, "note", obj.seq, obj.at, text))
        elif isinstance(obj, ResponseRevision):
            incident_id = session.connection().scalar(
                select(Response.incident_id).where(Response.id == obj.response_id)
            )
            at = obj.created_at or clock.now()
            rows.append(entry(incident_id, "response", obj.id, at, obj.body))
        elif isinstance(obj, SourceLink):
            rows.append(entry(obj.incident_id, "source", obj.id, obj.added_at, obj.url))
    for obj in list(session.new) + list(session.dirty):
        new = obj in session.new
        if isinstance(obj, Incident) and (new or _changed(obj, "title", "summary")):
            text = incident_text(obj.title, obj.summary or "")
            rows.append(entry(obj.id, "incident", obj.id, obj.opened_at or clock.now(), text))
        elif isinstance(obj, Postmortem) and (new or _changed(obj, *POSTMORTEM_FIELDS)):
            text = postmortem_text(*(getattr(obj, name) or "" for name in POSTMORTEM_FIELDS))
            at = obj.updated_at or clock.now()
            rows.append(entry(obj.incident_id, "postmortem", obj.incident_id, at, text))
        else:
            continue
        if not new:
            replaced.append((rows[-1]["kind"], rows[-1]["source_id"]))
    return rows, replaced


def _index_flushed(session: Session, _context) -> None:
    rows, replaced = _entries_of(session)
    if not rows:
        return
    connection = session.connection()
    table = SearchEntry.__table__
    for kind, source_id in replaced:  # one key at a time: each a lookup in the unique index
        connection.execute(
            delete(table).where(table.c.kind == kind, table.c.source_id == source_id)
        )
    connection.execute(insert(table), rows)


def listen() -> None:
    """Index what every session flushes (once per process)."""
    if not event.contains(Session, "after_flush", _index_flushed):
        event.listen(Session, "after_flush", _index_flushed)


def unlisten() -> None:
    """Stop indexing flushes (the benchmark measures a write with and without it)."""
    if event.contains(Session, "after_flush", _index_flushed):
        event.remove(Session, "after_flush", _index_flushed)
