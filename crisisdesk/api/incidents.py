"""Incident endpoints.

Open, list, read, change, roles, lead take-over, escalation acks, checklist, notes, timeline.
"""

from __future__ import annotations

from datetime import datetime

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..errors import Invalid
from ..incidents import entries, escalation, queries, restriction, roles, service
from ..incidents.models import STATUSES
from ..incidents.permissions import require_reader
from ..timeline.scopes import INCIDENTS, incident_scope
from ..web import plain_int
from . import bp
from .helpers import actor, decode_cursor, json_body, only_fields, page, page_limit, remembered_json
from .serialise import checklist_item_json, event_json, incident_json, incident_row_json, step_json

OPEN_FIELDS = {
    "title",
    "summary",
    "severity",
    "playbook",
    "channels",
    "detected_at",
    "source_links",
    "restricted",
    "restriction_reason",
}
PATCH_FIELDS = {"title", "summary", "severity", "status", "restricted", "reason"}


def _filters() -> queries.Filters:
    # A parameter sent empty is a wrong value, not a missing one.
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise Invalid(
            "bad_status", _("Unknown status: %(status)s.", status=status[:20]), field="status"
        )
    severity = request.args.get("severity")
    if severity is not None and severity not in ("1", "2", "3", "4"):
        raise Invalid(
            "bad_severity",
            _("Severity is a number from 1 (crisis) to 4 (watch)."),
            field="severity",
        )
    q = request.args.get("q", "")
    if len(q) > 100:
        raise Invalid("too_long", _("This can have at most %(n)d characters.", n=100), field="q")
    return queries.Filters(status=status or "", severity=int(severity) if severity else None, q=q)


@bp.post("/incidents")
def open_incident():
    """Open an incident."""
    body = only_fields(json_body(), OPEN_FIELDS)
    values = {key: body.get(key) for key in OPEN_FIELDS}
    values["restricted"] = body.get("restricted", False)
    incident = service.open_incident(actor=actor(), **values)
    return jsonify(incident_json(incident)), 201


@bp.get("/incidents")
def list_incidents():
    """Incidents, newest first, filtered by status, severity and text."""
    require_reader(g.api_principal)
    return remembered_json(("incidents", request.query_string), _incident_page, scopes=(INCIDENTS,))


def _incident_page() -> dict:
    cursor = decode_cursor(2)
    after = None
    if cursor is not None:
        try:
            after = [datetime.fromisoformat(str(cursor[0])), plain_int(cursor[1])]
            if after[0].tzinfo is None or after[1] is None:
                raise ValueError("cursor time needs an offset and a valid id")
        except (TypeError, ValueError):
            raise Invalid(
                "bad_cursor", _("The cursor is not valid; start again without it."), field="cursor"
            ) from None
    items = queries.newest(_filters(), after, page_limit())
    return page(items, incident_row_json, lambda i: [i.opened_at.isoformat(), i.id])


@bp.get("/incidents/<int:incident_id>")
def get_incident(incident_id: int):
    """One incident in full."""
    return jsonify(incident_json(queries.get_incident(incident_id, actor=actor())))


@bp.patch("/incidents/<int:incident_id>")
def update_incident(incident_id: int):
    """Change title, summary, severity or status."""
    body = only_fields(json_body(), PATCH_FIELDS)
    if "reason" in body and "restricted" not in body:
        raise Invalid("reason_alone", _("A reason goes with restricted."), field="reason")
    incident = service.update_incident(incident_id, actor=actor(), **body)
    return jsonify(incident_json(incident))


@bp.get("/incidents/restricted")
def list_restricted():
    """The restricted incidents the caller may see (never in the shared list), newest first."""
    found = queries.restricted_for(actor())
    return jsonify({"items": [incident_row_json(row) for row in found]})


@bp.put("/incidents/<int:incident_id>/members/<username>")
def add_member(incident_id: int, username: str):
    """Let a user see a restricted incident (the lead, an administrator)."""
    only_fields(json_body(), set())
    return jsonify(incident_json(restriction.add_member(incident_id, username, actor=actor())))


@bp.delete("/incidents/<int:incident_id>/members/<username>")
def remove_member(incident_id: int, username: str):
    """Take a user off a restricted incident's members."""
    return jsonify(incident_json(restriction.remove_member(incident_id, username, actor=actor())))


@bp.put("/incidents/<int:incident_id>/roles/<role>")
def assign_role(incident_id: int, role: str):
    """Give an incident role to a user."""
    body = only_fields(json_body(), {"user"})
    incident = roles.assign_role(incident_id, role, body.get("user"), actor=actor())
    return jsonify(incident_json(incident))


@bp.post("/incidents/<int:incident_id>/lead")
def take_over_lead(incident_id: int):
    """Take over the lead of an incident."""
    body = only_fields(json_body(), {"reason"}, nullable=frozenset({"reason"}))
    incident = roles.take_over_lead(incident_id, actor=actor(), reason=body.get("reason"))
    return jsonify(incident_json(incident))


@bp.post("/incidents/<int:incident_id>/escalations/<int:step_id>/ack")
def acknowledge(incident_id: int, step_id: int):
    """Acknowledge an escalation step."""
    # the reader and the incident's visibility from kept facts: a read here would only be
    # thrown away by the write transaction that follows
    queries.incident_facts(incident_id, actor=g.api_principal)
    return jsonify(step_json(escalation.acknowledge(incident_id, step_id, actor=actor())))


@bp.post("/incidents/<int:incident_id>/checklist/<item_id>")
def checklist(incident_id: int, item_id: str):
    """Tick or untick a checklist item."""
    body = only_fields(json_body(), {"done"})
    item = entries.set_checklist_item(incident_id, item_id, body.get("done"), actor=actor())
    return jsonify(checklist_item_json(item))


@bp.post("/incidents/<int:incident_id>/notes")
def add_note(incident_id: int):
    """Add a note to the timeline."""
    body = only_fields(json_body(), {"text"})
    return jsonify(event_json(entries.add_note(incident_id, body.get("text"), actor=actor()))), 201


@bp.post("/incidents/<int:incident_id>/links")
def add_link(incident_id: int):
    """Attach the address of a public post."""
    body = only_fields(json_body(), {"url"})
    entries.add_source_link(incident_id, body.get("url"), actor=actor())
    return jsonify(incident_json(queries.get_incident(incident_id, actor=actor()))), 201


@bp.get("/incidents/<int:incident_id>/timeline")
def timeline(incident_id: int):
    """The incident's events, oldest first; ?cursor= or ?after=<seq> for what came since."""
    # the reader and, for a restricted incident, that they are inside it (kept facts, no query)
    queries.incident_facts(incident_id, actor=g.api_principal)
    return remembered_json(
        ("timeline", incident_id, request.query_string),
        lambda: _timeline_page(incident_id),
        scopes=(incident_scope(incident_id),),
    )


def _timeline_page(incident_id: int) -> dict:
    incident = queries.load_incident(incident_id)
    cursor = decode_cursor(1)
    after = request.args.get("after")
    if after is not None and plain_int(after) is None:
        raise Invalid("bad_after", _("after must be a sequence number."), field="after")
    after_seq = (
        plain_int(cursor[0]) if cursor is not None else (plain_int(after) if after else None)
    )
    if cursor is not None and after_seq is None:
        raise Invalid(
            "bad_cursor", _("The cursor is not valid; start again without it."), field="cursor"
        )
    items = queries.events(incident, after_seq=after_seq, limit=page_limit() + 1)
    return page(items, event_json, lambda e: [e.seq])
