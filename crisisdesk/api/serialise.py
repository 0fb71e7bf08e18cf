"""How incidents, steps, timeline events and responses look in JSON."""

from __future__ import annotations

import json
from datetime import datetime

from ..incidents.roles import current_holders
from ..incidents.validation import load_channels
from ..responses.queries import statement_hashes


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def step_json(step) -> dict:
    return {
        "id": step.id,
        "due_at": iso(step.due_at),
        "after_minutes": step.after_minutes,
        "target_role": step.target_role,
        "action": step.action,
        "status": step.status,
        "notified_at": iso(step.notified_at),
        "acknowledged_at": iso(step.acknowledged_at),
        "acknowledged_by": step.acknowledged_by.username if step.acknowledged_by else None,
        "target_duty": step.target_duty,
        "fallback_duty": step.fallback_duty,
        "repeat_after": step.repeat_after,
        "rule": step.stage,
        "notified_user": step.notified_user,
    }


def checklist_item_json(item) -> dict:
    return {
        "id": item.item_key,
        "text": item.text,
        "done": item.done,
        "done_by": item.done_by.username if item.done_by else None,
        "done_at": iso(item.done_at),
    }


def incident_summary_json(incident) -> dict:
    """An incident as listed."""
    return {
        "id": incident.id,
        "ref": incident.ref,
        "title": incident.title,
        "summary": incident.summary,
        "severity": incident.severity,
        "status": incident.status,
        "playbook": incident.playbook_slug,
        "channels": load_channels(incident.channels),
        "opened_at": iso(incident.opened_at),
        "opened_by": incident.opened_by.username,
        "detected_at": iso(incident.detected_at),
        "lead": incident.lead.username if incident.lead else None,
        "drill": incident.drill,
    }


def incident_row_json(row) -> dict:
    """An incident as listed, from a light row of queries.newest()."""
    return {
        "id": row.id,
        "ref": row.ref,
        "title": row.title,
        "summary": row.summary,
        "severity": row.severity,
        "status": row.status,
        "playbook": row.playbook_slug,
        "channels": load_channels(row.channels),
        "opened_at": iso(row.opened_at),
        "opened_by": row.opened_by_name,
        "detected_at": iso(row.detected_at),
        "lead": row.lead_name,
        "drill": row.drill,
    }


def incident_json(incident) -> dict:
    """An incident in full."""
    return {
        **incident_summary_json(incident),
        "playbook_version": incident.playbook_version.sha256,
        "roles": {role: a.user.username for role, a in sorted(current_holders(incident).items())},
        "escalations": [step_json(step) for step in incident.steps],
        "checklist": [checklist_item_json(item) for item in incident.checklist],
        "source_links": [link.url for link in incident.links],
        "follows": incident.follows_id,
        "restricted": incident.restricted,
        "members": [member.user.username for member in incident.members],
    }


def event_json(event) -> dict:
    """A timeline event as the API shows it."""
    return {
        "seq": event.seq,
        "at": iso(event.at),
        "kind": event.kind,
        "actor": event.actor_name,
        "incident_id": event.incident_id,
        "data": json.loads(event.data),
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }


def responses_json(responses: list, full: bool = False) -> list[dict]:
    """Responses as the API shows them, in a fixed number of queries however many there are.

    Revisions, reviews and people come with the responses (responses.queries loads them); the
    statement versions' hashes are read here in one query.
    """
    hashes = statement_hashes(responses)
    return [_response_json(response, hashes, full) for response in responses]


def response_json(response, full: bool = False) -> dict:
    """A response as the API shows it; `full` adds its revisions and reviews."""
    return responses_json([response], full)[0]


def _response_json(response, hashes: dict[int, str], full: bool) -> dict:
    current = response.current
    data = {
        "id": response.id,
        "incident_id": response.incident_id,
        "channel": response.channel,
        "audience": response.audience,
        "language": response.language,
        "status": response.status,
        "body": current.body,
        "revision": response.revision,
        "revision_hash": current.hash,
        "statement": response.statement_slug,
        "statement_version": hashes.get(response.statement_version_id),
        "author": response.author.username,
        "approved_revision": response.approved_revision,
        "corrects": response.corrects_id,
        "published_at": iso(response.published_at),
        "published_url": response.published_url,
        "published_by": response.published_by.username if response.published_by else None,
        "retracted_at": iso(response.retracted_at),
        "retract_reason": response.retract_reason,
    }
    if full:
        data["revisions"] = [
            {
                "number": r.number,
                "body": r.body,
                "hash": r.hash,
                "author": r.author.username,
                "created_at": iso(r.created_at),
            }
            for r in response.revisions
        ]
        data["reviews"] = [
            {
                "revision": r.revision,
                "decision": r.decision,
                "comment": r.comment,
                "reviewer": r.reviewer.username,
                "at": iso(r.at),
            }
            for r in response.reviews
        ]
    return data
