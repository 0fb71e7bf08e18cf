"""The evidence files checked against the events that recorded them: each file must still lie
under its hash and hash to it, and each evidence row must have been told by an event."""

from __future__ import annotations

from sqlalchemy import select

from ..impersonation.evidence import file_problem
from ..impersonation.models import Evidence
from ..timeline.models import TimelineEvent as Event
from .findings import STREAM, _Findings
from .replay import decode


def check_evidence(conn, found: _Findings) -> None:
    """Report a changed or missing evidence file, and rows no event or other rows tell."""
    told = {}
    for seq, data in conn.execute(
        select(Event.seq, Event.data).where(Event.kind == "evidence_added").order_by(Event.seq)
    ):
        told[decode(seq, "evidence_added", None, "", data).data.get("evidence")] = seq
    query = select(Evidence.id, Evidence.sha256).order_by(Evidence.id)
    for row in conn.execute(query, execution_options=STREAM):
        found.checked += 1
        seq = told.pop(row.id, None)
        problem = file_problem(row.sha256)
        if problem is not None:
            found.add(seq, problem, "evidence", row.id, "file")
        elif seq is None:
            found.add(None, "row_without_event", "evidence", row.id)
    for seq in told.values():
        found.add(seq, "row_missing", "evidence", None)
