"""Opening and changing incidents. Each function: permission, validation, state + one event, commit.

A `…_in_transaction` twin does the same without committing, for a service that makes it one step
of its own transaction (an alert reopens, attaches and opens in one).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert

from .. import clock
from ..database import begin_write
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import db
from ..library import service as library
from ..timeline import append_event
from . import escalation, validation
from .models import STATUS_RANK, Incident, IncidentChecklistItem, SourceLink
from .permissions import require_not_closed, require_opener, require_responder
from .queries import get_incident
from .refs import next_ref
from .restriction import can_keep, restrict_in_transaction
from .roles import take_role

#: app.extensions key: checks that may refuse closing an incident by raising a DomainError
CLOSE_CHECKS = "crisisdesk.incidents.close_checks"
TRANSITIONS = {
    "open": {"monitoring"},
    "monitoring": {"resolved", "open"},
    "resolved": {"closed", "open"},
    "closed": set(),
}


def add_close_check(app, check: Callable[[Incident], None]) -> None:
    """Let a package above this one refuse closing (the review package: no post-mortem summary)."""
    app.extensions.setdefault(CLOSE_CHECKS, []).append(check)


def open_incident(**fields) -> Incident:
    """Open an incident: ref, playbook version, opener as lead, checklist, escalation plan.

    Takes the keyword arguments of open_incident_in_transaction().
    """
    begin_write()
    incident = open_incident_in_transaction(**fields)
    db.session.commit()
    return incident


def open_incident_in_transaction(
    *,
    actor,
    title,
    severity,
    playbook,
    summary="",
    channels=None,
    source_links=None,
    detected_at=None,
    dedupe_key=None,
    follows_id=None,
    by_alert=False,
    restricted=False,
    restriction_reason=None,
    drill=False,
    lead=None,
) -> Incident:
    """open_incident() inside the caller's write transaction; the caller commits.

    A person opening the incident takes on the steps the opening fulfils; an alert does not.
    Opened restricted (need to know), it is seen only by its lead, role holders and admins.
    """
    begin_write()
    if not drill:  # a drill's incident is opened by its exercise lead (drills/service.py checks)
        require_opener(actor)
    title = validation.title(title)
    severity = validation.severity(severity)
    summary = validation.text(summary, "summary", validation.SUMMARY_MAX)
    channels = validation.channels(channels)
    links = validation.urls(source_links)
    detected = validation.moment(detected_at, "detected_at")
    if not isinstance(playbook, str) or not playbook:
        raise Invalid("no_playbook", _("Choose a playbook."), field="playbook")
    chosen = library.get_library().playbooks.get(playbook)
    if chosen is None:
        raise Invalid(
            "unknown_playbook",
            _("There is no playbook %(slug)s.", slug=playbook[:100]),
            field="playbook",
        )
    version = library.version_of(chosen)
    now = clock.now()
    year = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).year
    incident = Incident(
        ref=next_ref(year),
        title=title,
        summary=summary,
        severity=severity,
        status="open",
        status_rank=0,
        playbook_slug=chosen.slug,
        playbook_version_id=version.id,
        channels=validation.dump_channels(channels),
        opened_at=now,
        opened_by_id=actor.id,
        detected_at=min(detected or now, now),
        dedupe_key=dedupe_key,
        follows_id=follows_id,
        drill=drill,
    )
    db.session.add(incident)
    db.session.flush()
    lead = lead or actor  # a drill's exercise lead hands the incident to a participant
    take_role(incident, "lead", lead, assigned_by=actor, at=now)
    if chosen.checklist:  # one statement for all the rows (the unit of work sent one each)
        db.session.execute(
            insert(IncidentChecklistItem),
            [
                {
                    "incident_id": incident.id,
                    "item_key": item.id,
                    "position": index,
                    "text": item.text,
                }
                for index, item in enumerate(chosen.checklist)
            ],
        )
    db.session.add_all(
        SourceLink(incident_id=incident.id, url=url, added_by_id=actor.id, added_at=now)
        for url in links
    )
    steps = escalation.plan(incident, chosen)
    db.session.flush()
    append_event(
        "incident_opened",
        actor=actor,
        incident_id=incident.id,
        at=now,
        data={
            "ref": incident.ref,
            "title": title,
            "summary": summary,
            "severity": severity,
            "playbook": chosen.slug,
            "playbook_version": chosen.sha256,
            "channels": channels,
            "source_links": links,
            "detected_at": incident.detected_at.isoformat(),
            "lead": lead.username,
            "steps": [
                {"id": s.id, "due_at": s.due_at.isoformat(), "target_role": s.target_role}
                for s in steps
            ],
            **({"follows": follows_id} if follows_id is not None else {}),
            **({"drill": True} if drill else {}),
        },
    )
    if restricted is not False:
        restrict_in_transaction(incident, restricted, restriction_reason, actor=actor)
    if not (by_alert or drill):  # a drill's team must acknowledge its first step themselves
        escalation.acknowledge_on_opening(incident, steps, chosen, actor)
    return incident


def update_incident(
    incident_id,
    *,
    actor,
    title=None,
    summary=None,
    severity=None,
    status=None,
    restricted=None,
    reason=None,
) -> Incident:
    """Change title, summary, severity (re-plans steps), status, need-to-know: all or nothing."""
    begin_write()
    incident = update_incident_in_transaction(
        incident_id, actor=actor, title=title, summary=summary, severity=severity, status=status
    )
    if restricted is not None:
        if not can_keep(actor, incident):
            raise Forbidden(
                "not_keeper", _("Only the incident's lead or an administrator decides who sees it.")
            )
        restrict_in_transaction(incident, restricted, reason, actor=actor)
    db.session.commit()
    return incident


def update_incident_in_transaction(
    incident_id, *, actor, title=None, summary=None, severity=None, status=None
) -> Incident:
    """update_incident() inside the caller's write transaction; the caller commits."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    if any(value is not None for value in (title, summary, severity, status)):
        require_not_closed(incident)
    changes = []
    if title is not None:
        changes.append(("title", validation.title(title)))
    if summary is not None:
        changes.append(("summary", validation.text(summary, "summary", validation.SUMMARY_MAX)))
    if severity is not None:
        changes.append(("severity", validation.severity(severity)))
    if status is not None:
        changes.append(("status", _check_status(incident, status)))
    for field, value in changes:
        if getattr(incident, field) != value:
            APPLY[field](incident, field, value, actor)
    return incident


def _check_status(incident: Incident, value) -> str:
    if not isinstance(value, str) or value not in STATUS_RANK:
        raise Invalid(
            "bad_status", _("Unknown status: %(status)s.", status=str(value)[:20]), field="status"
        )
    if value != incident.status and value not in TRANSITIONS[incident.status]:
        raise Conflict(
            "bad_transition",
            _("An incident cannot go from %(a)s to %(b)s.", a=incident.status, b=value),
            field="status",
        )
    if value == "closed" and value != incident.status:
        for check in current_app.extensions.get(CLOSE_CHECKS, ()):
            check(incident)
    return value


def _apply_text(incident: Incident, field: str, value: str, actor) -> None:
    before = getattr(incident, field)
    setattr(incident, field, value)
    append_event(
        f"{field}_changed",
        actor=actor,
        incident_id=incident.id,
        data={"before": before, "after": value},
    )


def _apply_severity(incident: Incident, _field: str, severity: int, actor) -> None:
    before, incident.severity = incident.severity, severity
    playbook = library.playbook_of_version(incident.playbook_version)
    changes = escalation.replan(incident, playbook) if playbook else {}
    append_event(
        "severity_changed",
        actor=actor,
        incident_id=incident.id,
        data={"before": before, "after": severity, **changes},
    )


def _apply_status(incident: Incident, _field: str, status: str, actor) -> None:
    """Move the status; resolving or closing cancels the open escalation steps.

    Reopening (resolved → open) does not bring cancelled steps back: the plan was for the incident
    as it was; a later severity change plans the missing steps afresh.
    """
    before = incident.status
    incident.status, incident.status_rank = status, STATUS_RANK[status]
    data = {"before": before, "after": status}
    if status in ("resolved", "closed"):
        data["cancelled_steps"] = escalation.cancel_open_steps(incident)
    if status == "closed":
        incident.closed_at = clock.now()
    append_event("status_changed", actor=actor, incident_id=incident.id, data=data)


APPLY = {
    "title": _apply_text,
    "summary": _apply_text,
    "severity": _apply_severity,
    "status": _apply_status,
}
