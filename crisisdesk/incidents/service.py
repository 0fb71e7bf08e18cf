"""Opening and changing incidents. Each function: permission, validation, state + one event, commit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from .. import clock
from ..database import begin_write
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..library import service as library
from ..timeline import append_event
from . import escalation, validation
from .models import STATUS_RANK, Incident, IncidentChecklistItem, SourceLink
from .permissions import require_not_closed, require_opener, require_responder
from .queries import get_incident
from .refs import next_ref
from .roles import take_role

TRANSITIONS = {
    "open": {"monitoring"},
    "monitoring": {"resolved", "open"},
    "resolved": {"closed", "open"},
    "closed": set(),
}


def open_incident(
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
) -> Incident:
    """Open an incident: ref, playbook version, opener as lead, checklist, escalation plan."""
    begin_write()
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
    begin_write()  # version_of may have recorded a new version and committed
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
    )
    db.session.add(incident)
    db.session.flush()
    take_role(incident, "lead", actor, assigned_by=actor, at=now)
    db.session.add_all(
        IncidentChecklistItem(
            incident_id=incident.id, item_key=item.id, position=index, text=item.text
        )
        for index, item in enumerate(chosen.checklist)
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
            "lead": actor.username,
            "steps": [
                {"id": s.id, "due_at": s.due_at.isoformat(), "target_role": s.target_role}
                for s in steps
            ],
            **({"follows": follows_id} if follows_id is not None else {}),
        },
    )
    db.session.commit()
    return incident


def update_incident(
    incident_id, *, actor, title=None, summary=None, severity=None, status=None
) -> Incident:
    """Change title, summary, severity (re-plans steps) and/or status: all or nothing, one event per change."""
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
    db.session.commit()
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
    if value == "closed" and value != incident.status and not _has_postmortem_summary(incident):
        raise Conflict(
            "needs_postmortem",
            _("Write the post-mortem summary before closing the incident."),
            field="status",
        )
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


def _has_postmortem_summary(incident: Incident) -> bool:
    from ..review.service import (
        has_summary,
    )  # the review package builds on incidents, not the other way

    return has_summary(incident.id)


def add_note(incident_id, text, *, actor):
    """Add a note to the timeline; returns the event."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    text = validation.text(text, "text", validation.NOTE_MAX, required=True)
    event = append_event("note_added", actor=actor, incident_id=incident.id, data={"text": text})
    db.session.commit()
    return event


def add_source_link(incident_id, url, *, actor) -> SourceLink:
    """Attach the address of a public post to the incident."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    url = validation.url(url)
    if any(link.url == url for link in incident.links):
        raise Conflict("duplicate_link", _("This address is already attached."), field="url")
    link = SourceLink(incident_id=incident.id, url=url, added_by_id=actor.id)
    db.session.add(link)
    append_event("source_link_added", actor=actor, incident_id=incident.id, data={"url": url})
    db.session.commit()
    return link


def set_checklist_item(incident_id, item_key, done, *, actor) -> IncidentChecklistItem:
    """Tick or untick a checklist item."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    if not isinstance(done, bool):
        raise Invalid("bad_done", _("done must be true or false."), field="done")
    item = next((i for i in incident.checklist if i.item_key == item_key), None)
    if item is None:
        raise NotFound("unknown_item", _("There is no such checklist item."))
    if item.done == done:
        db.session.commit()  # nothing changes, nothing to log; the write lock goes
        return item
    item.done, item.done_by_id, item.done_at = (
        done,
        (actor.id if done else None),
        (clock.now() if done else None),
    )
    append_event(
        "checklist_done" if done else "checklist_undone",
        actor=actor,
        incident_id=incident.id,
        data={"item": item.item_key, "text": item.text},
    )
    db.session.commit()
    return item
