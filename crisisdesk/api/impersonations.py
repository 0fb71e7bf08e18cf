"""The incident's fakes (list, add many with duplicates merged, move on) and evidence files."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..errors import Invalid
from ..impersonation import cases, evidence
from . import bp
from .helpers import actor, json_body, number_cursor, only_fields, page, page_limit
from .serialise import iso


def item_json(item) -> dict:
    """A suspect item as the API shows it, with its time to takedown."""
    return {
        "id": item.id,
        "incident_id": item.incident_id,
        "kind": item.kind,
        "platform": item.platform,
        "url": item.address,
        "first_seen": iso(item.first_seen),
        "reach": item.reach,
        "status": item.status,
        "platform_reference": item.platform_reference,
        "reported_at": iso(item.reported_at),
        "closed_at": iso(item.closed_at),
        "takedown_seconds": cases.takedown_seconds(item),
    }


@bp.get("/incidents/<int:incident_id>/impersonations")
def list_impersonations(incident_id: int):
    """The incident's suspect items, newest first, paged; the takedown figures per platform
    are of every item."""
    before, limit = number_cursor(), page_limit()
    items = cases.items_of(incident_id, actor=actor(), before_id=before, limit=limit + 1)
    every = cases.items_of(incident_id, actor=actor())
    reply = page(items, item_json, lambda item: [item.id])
    return jsonify({**reply, "platforms": cases.takedown_by_platform(every)})


@bp.post("/incidents/<int:incident_id>/impersonations")
def post_impersonations(incident_id: int):
    """Add items; an address already on the incident (normalised) is merged, not doubled."""
    body = only_fields(json_body(), {"items"})
    added = cases.add_items(incident_id, body.get("items"), actor=actor())
    return jsonify(
        {
            "created": [item_json(i) for i in added.created],
            "merged": [item_json(i) for i in added.merged],
        }
    ), (201 if added.created else 200)


@bp.get("/impersonations/<int:suspect_id>")
def get_impersonation(suspect_id: int):
    """One suspect item."""
    return jsonify(item_json(cases.get_item(suspect_id, actor=actor())))


@bp.patch("/impersonations/<int:suspect_id>")
def patch_impersonation(suspect_id: int):
    """Move an item on: `status`, with the platform's case reference when there is one."""
    cases.get_item(suspect_id, actor=actor())  # who asks comes before what they sent
    body = only_fields(json_body(), {"status", "platform_reference"})
    item = cases.move_item(
        suspect_id, body.get("status"), actor=actor(), reference=body.get("platform_reference")
    )
    return jsonify(item_json(item))


@bp.url_value_preprocessor
def _room_for_files(endpoint, _values):
    # before any hook reads the body: an evidence file may be larger than any other request
    if endpoint == "api.post_evidence":
        request.max_content_length = evidence.upload_limit() + 64 * 1024


def evidence_json(row) -> dict:
    """An evidence file's record (the file itself is downloaded from the desk)."""
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "sha256": row.sha256,
        "content_type": row.content_type,
        "size": row.size,
        "filename": row.filename,
        "stripped": row.stripped,
        "uploaded_at": iso(row.uploaded_at),
    }


@bp.get("/incidents/<int:incident_id>/evidence")
def list_evidence(incident_id: int):
    """The incident's evidence files, newest first, paged."""
    before, limit = number_cursor(), page_limit()
    rows = evidence.evidence_of(incident_id, actor=actor(), before_id=before, limit=limit + 1)
    return jsonify(page(rows, evidence_json, lambda row: [row.id]))


@bp.post("/incidents/<int:incident_id>/evidence")
def post_evidence(incident_id: int):
    """Keep a PNG, JPEG or PDF (multipart `file`; `strip=true` removes image metadata)."""
    sent = request.files.get("file")
    strip = request.form.get("strip", "false")
    if strip not in ("true", "false"):
        raise Invalid("bad_flag", _("strip must be true or false."), "strip")
    row = evidence.add_evidence(
        incident_id,
        sent.read() if sent else b"",
        sent.filename if sent else "",
        actor=actor(),
        strip=strip == "true",
    )
    return jsonify(evidence_json(row)), 201
