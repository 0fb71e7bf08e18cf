"""Reports made to authorities, and the clocks they stop and start."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid
from ..extensions import db
from ..i18n import report_label
from ..incidents import validation
from ..incidents.models import Incident
from ..incidents.permissions import can_see, require_reader
from ..incidents.queries import get_incident
from ..timeline import append_event
from . import bank_calendar
from .clocks import Clock, Facts, clocks
from .clocks import Submission as Made
from .models import Assessment, Submission
from .service import REASONS_MAX, require_assessor

#: what can be recorded: each DORA report, the reclassification as not major, GDPR Art. 33
KINDS = ("dora_initial", "dora_intermediate", "dora_final", "dora_reclassification", "gdpr_art33")
#: a report that needs the one before it
NEEDS = {"dora_intermediate": "dora_initial", "dora_final": "dora_intermediate"}
REFERENCE_MAX, TEXT_MAX = 200, 20_000


def submissions_of(incident_id: int) -> list[Submission]:
    """The incident's recorded reports, in the order they were made."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.incident_id == incident_id)
            .order_by(Submission.submitted_at, Submission.id)
        )
    )


def facts_of(row: Assessment | None, incident: Incident, made: list[Submission]) -> Facts:
    """What the clocks of one incident are computed from."""
    return Facts(
        aware_at=row.aware_at if row is not None else incident.detected_at,
        major_since=row.major_since if row is not None else None,
        reclassified_at=row.reclassified_at if row is not None else None,
        personal_data_breach=bool(row and row.personal_data_breach),
        submissions=tuple(Made(s.kind, s.submitted_at) for s in made),
    )


def clocks_of(incident_id, *, actor, now: datetime | None = None) -> list[Clock]:
    """The incident's clocks now, for anyone who may read it."""
    return clocks_for(get_incident(incident_id, actor=actor), now)


def clocks_for(incident: Incident, now: datetime | None = None) -> list[Clock]:
    """The incident's clocks, for a caller that checked the reader (the room's shared part)."""
    row = get_by_id(Assessment, incident.id)
    facts = facts_of(row, incident, submissions_of(incident.id))
    return clocks(facts, bank_calendar(), now or clock.now())


def running_clocks(*, actor, now: datetime | None = None) -> list[tuple[Incident, Clock]]:
    """Every clock still to be met (running or overdue) of the incidents the reader may see."""
    require_reader(actor)
    return [pair for pair in all_running_clocks(now) if can_see(actor, pair[0])]


def all_running_clocks(now: datetime | None = None) -> list[tuple[Incident, Clock]]:
    """Every clock still to be met, soonest first (the worker's reminders read this too)."""
    now = now or clock.now()
    rows = db.session.execute(
        select(Incident, Assessment)
        .join(Assessment, Assessment.incident_id == Incident.id)
        .where((Assessment.major_since.is_not(None)) | Assessment.personal_data_breach.is_(True))
    ).all()
    made: dict[int, list[Submission]] = {}
    for submission in db.session.scalars(
        select(Submission)
        .where(Submission.incident_id.in_([incident.id for incident, _row in rows]))
        .order_by(Submission.submitted_at, Submission.id)
    ):
        made.setdefault(submission.incident_id, []).append(submission)
    found = [
        (incident, running)
        for incident, row in rows
        for running in clocks(
            facts_of(row, incident, made.get(incident.id, [])), bank_calendar(), now
        )
        if running.status in ("running", "overdue")
    ]
    return sorted(found, key=lambda pair: (pair[1].due_at, pair[0].id))


def record_submission(
    incident_id, *, actor, kind=None, submitted_at=None, reference=None, text=None, late_reason=None
) -> Submission:
    """Record a report the bank made (compliance, management, admin); it stops its clock."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_assessor(actor)
    if kind not in KINDS:
        raise Invalid("bad_kind", _("kind is one of: %(k)s.", k=", ".join(KINDS)), "kind")
    at = validation.moment(submitted_at, "submitted_at") or clock.now()
    reference = validation.text(reference, "reference", REFERENCE_MAX)
    text = validation.text(text, "text", TEXT_MAX)
    late_reason = validation.text(late_reason, "late_reason", REASONS_MAX)
    db.session.refresh(incident, ["status"], with_for_update=True)
    row = get_by_id(Assessment, incident.id)
    made = submissions_of(incident.id)
    _require_due(kind, row, made)
    if at < (row.aware_at if row is not None else incident.detected_at):
        raise Invalid(
            "before_awareness",
            _("A report cannot precede the awareness of the incident."),
            "submitted_at",
        )
    due = next(
        (c for c in clocks(facts_of(row, incident, made), bank_calendar(), at) if c.kind == kind),
        None,
    )
    late = due is not None and due.met_at is None and at > due.due_at
    if late and not late_reason:
        raise Invalid(
            "late_reason_required",
            _("This report went in after its deadline: give the reasons the authority is owed."),
            "late_reason",
        )
    submission = Submission(
        incident_id=incident.id,
        kind=kind,
        submitted_at=at,
        reference=reference,
        text=text,
        late_reason=late_reason,
        recorded_by_id=actor.id,
    )
    db.session.add(submission)
    db.session.flush()
    append_event(
        "regulatory_submission_recorded",
        actor=actor,
        incident_id=incident.id,
        data={
            "submission": submission.id,
            "kind": kind,
            "submitted_at": at.isoformat(),
            "reference": reference,
            "text": text,
            "late_reason": late_reason,
            "due_at": due.due_at.isoformat() if due is not None else None,
        },
    )
    db.session.commit()
    return submission


def _require_due(kind: str, row: Assessment | None, made: list[Submission]) -> None:
    """Refuse a report the assessment does not call for, or one before the report it follows."""
    if kind == "gdpr_art33":
        if not (row and row.personal_data_breach):
            raise Conflict(
                "no_breach", _("Mark the incident as a personal-data breach first."), "kind"
            )
        return
    if kind == "dora_reclassification":
        if not (row and row.reclassified_at):
            raise Conflict(
                "not_reclassified",
                _("Only a major incident later assessed as not major is reported as reclassified."),
                "kind",
            )
        return
    if not (row and row.major_since):
        raise Conflict(
            "not_major", _("DORA reports are due only for an incident classified as major."), "kind"
        )
    needed = NEEDS.get(kind)
    if needed and not any(s.kind == needed for s in made):
        raise Conflict(
            "out_of_order",
            _("Record the %(before)s first.", before=report_label(needed)),
            "kind",
        )
