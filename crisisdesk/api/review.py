"""Post-mortem and audit endpoints."""

from __future__ import annotations

from flask import Response, jsonify

from ..audit import runs
from ..impersonation.cases import suspects_of
from ..incidents.queries import get_incident
from ..responses.queries import said_so_far
from ..review import exports, service
from . import bp
from .helpers import actor, json_body, only_fields


def postmortem_json(incident) -> dict:
    """The post-mortem with its metrics."""
    postmortem = service.postmortem_of(incident.id)
    return {
        "incident_id": incident.id,
        "metrics": service.incident_metrics(incident),
        **{
            field: getattr(postmortem, field) if postmortem else "" for field in service.TEXT_FIELDS
        },
        "actions": [
            {
                "text": a.text,
                "owner": a.owner,
                "due": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
            }
            for a in service.actions_of(incident.id)
        ],
    }


@bp.get("/incidents/<int:incident_id>/postmortem")
def get_postmortem(incident_id: int):
    """Metrics, summary, lessons and action items."""
    return jsonify(postmortem_json(get_incident(incident_id, actor=actor())))


@bp.put("/incidents/<int:incident_id>/postmortem")
def put_postmortem(incident_id: int):
    """Set summary, went_well, went_badly, lessons, actions (lead, management, admin)."""
    body = only_fields(json_body(), {*service.TEXT_FIELDS, "actions"})
    service.update_postmortem(incident_id, actor=actor(), **body)
    return jsonify(postmortem_json(get_incident(incident_id, actor=actor())))


@bp.get("/incidents/<int:incident_id>/postmortem.md")
def get_postmortem_markdown(incident_id: int):
    """The post-mortem as Markdown."""
    incident = get_incident(incident_id, actor=actor())
    text = exports.postmortem_markdown(
        incident,
        service.postmortem_of(incident.id),
        service.actions_of(incident.id),
        service.incident_metrics(incident),
        said_so_far(incident.id),
        suspects_of(incident.id),
    )
    return Response(text, mimetype="text/markdown")


@bp.get("/audit/verify")
def audit_verify():
    """Recompute the hash chain (management, admin)."""
    return jsonify(runs.verify_and_record(actor=actor()))
