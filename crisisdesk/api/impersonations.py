"""The incident's fakes: list, add one or many (duplicates merged), move each on."""

from __future__ import annotations

from flask import jsonify

from ..impersonation import cases
from . import bp
from .helpers import actor, json_body, only_fields
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
    """The incident's suspect items, newest first, and the takedown figures per platform."""
    items = cases.items_of(incident_id, actor=actor())
    return jsonify(
        {"items": [item_json(i) for i in items], "platforms": cases.takedown_by_platform(items)}
    )


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
