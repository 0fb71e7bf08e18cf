"""Update-cadence reminders: "no public update for 30 minutes" per the playbook's cadence."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from .. import clock
from ..database import begin_write
from ..extensions import db
from ..incidents.models import Incident
from ..library.service import playbook_of_version
from ..responses.models import Response
from ..timeline import append_event


def _cadence(incident: Incident) -> int | None:
    playbook = playbook_of_version(incident.playbook_version)
    return playbook.update_cadence_minutes.get(incident.severity) if playbook else None


def raise_due_reminders(limit: int = 200) -> int:
    """Append one `update_reminder` per live incident
    whose last public update is older than its cadence.
    """
    now = clock.now()
    last_publication = (
        select(Response.incident_id, func.max(Response.published_at).label("at"))
        .where(Response.status == "published")
        .group_by(Response.incident_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Incident, last_publication.c.at)
        .outerjoin(last_publication, last_publication.c.incident_id == Incident.id)
        .where(Incident.status.in_(("open", "monitoring")))
        .order_by(Incident.id)
        .limit(limit)
    ).all()
    due = []
    for incident, published_at in rows:
        cadence = _cadence(incident)
        if not cadence:
            continue
        since = max(
            x
            for x in (incident.opened_at, published_at, incident.last_reminder_at)
            if x is not None
        )
        if now - since >= timedelta(minutes=cadence):
            due.append(
                (
                    incident.id,
                    incident.last_reminder_at,
                    published_at or incident.opened_at,
                    cadence,
                )
            )
    db.session.rollback()
    raised = 0
    for incident_id, previous, last_update, cadence in due:
        begin_write()
        # compare-and-set on last_reminder_at: of several workers, one raises the reminder
        won = (
            db.session.execute(
                update(Incident)
                .where(
                    Incident.id == incident_id,
                    Incident.last_reminder_at.is_(None)
                    if previous is None
                    else Incident.last_reminder_at == previous,
                )
                .values(last_reminder_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            == 1
        )
        if not won:
            db.session.rollback()
            continue
        append_event(
            "update_reminder",
            actor=None,
            incident_id=incident_id,
            data={
                "cadence_minutes": cadence,
                "minutes_since_update": int((now - last_update).total_seconds() // 60),
            },
        )
        db.session.commit()
        raised += 1
    return raised
