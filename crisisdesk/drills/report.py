"""The exercise report: objectives measured from the timeline, reactions to injects, the team,
the checklist, legal's turnaround, the script's hash and the chain range; signed off by the lead."""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..incidents.models import Incident, IncidentChecklistItem, RoleAssignment
from ..library.models import ContentVersion
from ..timeline import append_event
from ..timeline.chain import decoded_data
from ..timeline.models import TimelineEvent
from .figures import figures
from .models import Drill
from .service import get_drill, script_of


def drill_events(drill: Drill) -> list[dict]:
    """The drill incident's events as plain values, in chain order."""
    rows = db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == drill.incident_id)
        .order_by(TimelineEvent.seq)
    )
    return [
        {
            "seq": row.seq,
            "at": row.at,
            "kind": row.kind,
            "actor": row.actor_name,
            "data": decoded_data(row),
            "hash": row.hash,
        }
        for row in rows
    ]


def exercise_report(drill_id, *, actor) -> dict:
    """Everything the report shows, as plain values (page, print, Markdown and JSON alike)."""
    drill = get_drill(drill_id, actor=actor)
    script = script_of(drill)
    events = drill_events(drill)
    version = db.session.get(ContentVersion, drill.script_version_id)
    incident = db.session.get(Incident, drill.incident_id)
    checklist = db.session.scalars(
        select(IncidentChecklistItem).where(IncidentChecklistItem.incident_id == incident.id)
    ).all()
    roles = db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.incident_id == incident.id)
        .order_by(RoleAssignment.assumed_at, RoleAssignment.id)
    ).all()
    report = {
        "drill": drill.id,
        "incident": {"id": incident.id, "ref": incident.ref, "title": incident.title},
        "script": {"slug": drill.script_slug, "sha256": version.sha256, "title": script.title},
        "announced": drill.announced,
        "participants": drill.participant_names(),
        "status": drill.status,
        "started_at": drill.started_at.isoformat(),
        "ended_at": drill.ended_at.isoformat() if drill.ended_at else None,
        "chain": {
            "first_seq": events[0]["seq"] if events else None,
            "last_seq": events[-1]["seq"] if events else None,
            "last_hash": events[-1]["hash"] if events else None,
        },
        "checklist": {"done": sum(1 for item in checklist if item.done), "total": len(checklist)},
        "roles": [
            {"role": a.role, "user": a.user.username, "from": a.assumed_at.isoformat()}
            for a in roles
        ],
        **figures(script, drill.started_at, events),
        "signed_off": (
            {"by": drill.signed_off_by.username, "at": drill.signed_off_at.isoformat()}
            if drill.signed_off_at
            else None
        ),
        "events": [{**e, "at": e["at"].isoformat()} for e in events],
    }
    return report


def report_digest(report: dict) -> str:
    """SHA-256 of the report's figures and chain range (what the sign-off vouches for)."""
    vouched = {key: report[key] for key in ("chain", "objectives", "reactions", "script")}
    return hashlib.sha256(json.dumps(vouched, sort_keys=True).encode()).hexdigest()


def sign_off(drill_id, *, actor) -> Drill:
    """The exercise lead who ran the drill (or an administrator) signs the ended drill's report."""
    begin_write()
    drill = get_drill(drill_id, actor=actor)
    if actor.id != drill.lead_id and not actor.has_role("admin"):
        raise Forbidden("not_exercise_lead", _("Only the drill's exercise lead signs its report."))
    db.session.refresh(drill, with_for_update=True)
    if drill.status != "ended" or drill.signed_off_at is not None:
        raise Conflict("not_signable", _("A report is signed off once, after the drill has ended."))
    digest = report_digest(exercise_report(drill_id, actor=actor))
    drill.signed_off_by_id, drill.signed_off_at = actor.id, clock.now()
    append_event(
        "drill_signed_off",
        actor=actor,
        incident_id=drill.incident_id,
        data={"drill": drill.id, "report_sha256": digest},
    )
    db.session.commit()
    return drill
