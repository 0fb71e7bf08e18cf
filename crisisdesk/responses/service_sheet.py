"""The service-centre sheet of an incident: the answers our own people may give, and what changed
since the sheet was last handed out.

It holds the answers published in the incident to staff, branches or the service centre (drafted,
reviewed by legal and published like any response) and the approved Q&A sheets of the incident's
playbook. Handing a sheet out records a digest of each entry on the timeline; the next sheet
marks what is new or changed against that record, so the service centre reads only the changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..channels import INTERNAL_AUDIENCES, label
from ..database import begin_write
from ..extensions import db
from ..incidents.permissions import require_not_closed
from ..incidents.queries import get_incident
from ..library import service as library
from ..timeline import append_event
from ..timeline.chain import decoded_data
from ..timeline.models import TimelineEvent
from .models import Response
from .transitions import require_writer


@dataclass(frozen=True)
class Entry:
    """One answer on the sheet, and how it stands against the sheet handed out last."""

    key: str  #: "response:<id>" or "qa:<sheet>:<item>"
    question: str | None
    answer: str
    do_not_say: str
    escalate_to: str | None
    language: str
    source: str  #: the Q&A sheet's title, or the channel the answer was published on
    digest: str
    change: str | None = None  #: "new" | "changed" | None (as on the last sheet)


@dataclass(frozen=True)
class Sheet:
    """What the sheet shows: the incident's own answers, the playbook's sheets, the last issue."""

    own: list[Entry]
    library: list[tuple]  #: (Q&A sheet, approval state, [Entry]) per sheet of the playbook
    issued: TimelineEvent | None  #: the last time a sheet was handed out

    @property
    def entries(self) -> list[Entry]:
        shared = (entry for _sheet, _state, entries in self.library for entry in entries)
        return [*self.own, *shared]


def _digest(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()


def _entry(key, question, answer, do_not_say, escalate_to, language, source, issued) -> Entry:
    digest = _digest(question, answer, do_not_say, escalate_to)
    change = None
    if issued is not None:
        before = issued.get(key)
        change = "new" if before is None else "changed" if before != digest else None
    return Entry(key, question, answer, do_not_say, escalate_to, language, source, digest, change)


def _last_issue(incident_id: int) -> TimelineEvent | None:
    return db.session.scalar(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == incident_id, TimelineEvent.kind == "qa_sheet_issued")
        .order_by(TimelineEvent.seq.desc())
        .limit(1)
    )


def sheet_of(incident) -> Sheet:
    """The sheet as it stands now (the caller has checked the reader may see the incident)."""
    issued = _last_issue(incident.id)
    before = decoded_data(issued).get("entries", {}) if issued is not None else None
    published = db.session.scalars(
        select(Response)
        .options(selectinload(Response.revisions))  # each answer's text, in one more query
        .where(
            Response.incident_id == incident.id,
            Response.status == "published",
            Response.retracted_at.is_(None),
            Response.audience.in_(INTERNAL_AUDIENCES),
        )
        .order_by(Response.published_at.desc(), Response.id.desc())
    ).all()
    own = [
        _entry(
            f"response:{r.id}", None, r.current.body, "", None, r.language, label(r.channel), before
        )
        for r in published
    ]
    sheets = library.qa_for_playbook(incident.playbook_slug)
    states = library.approval_states(sheets)
    shown = []
    for sheet in sheets:
        state = states[sheet.slug]
        entries = [
            _entry(
                f"qa:{sheet.slug}:{item.id}",
                item.question,
                item.answer,
                item.do_not_say,
                item.escalate_to,
                sheet.language,
                sheet.title,
                before,
            )
            for item in sheet.items
        ]
        # an answer legal has not signed off (or whose sign-off expired) is not read to callers
        shown.append((sheet, state, entries if state.usable else []))
    return Sheet(own, shown, issued)


def issue_sheet(incident_id: int, *, actor) -> TimelineEvent:
    """Record that the sheet as it stands now was handed out; the next one marks changes to it."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_writer(actor, incident)
    require_not_closed(incident)
    entries = sheet_of(incident).entries
    event = append_event(
        "qa_sheet_issued",
        actor=actor,
        incident_id=incident.id,
        data={
            "entries": {entry.key: entry.digest for entry in entries},
            "changed": sorted(entry.key for entry in entries if entry.change),
        },
    )
    db.session.commit()
    return event
