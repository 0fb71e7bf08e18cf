"""Duty endpoints: the duties, who is on duty at a moment, overrides."""

from __future__ import annotations

import json
from datetime import datetime

from flask import jsonify, request
from flask_babel import gettext as _

from .. import clock
from ..errors import Invalid
from ..people import duties
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import iso


def shift_json(shift) -> dict:
    """Who holds a duty and for how long (all null: nobody)."""
    if shift is None:
        return {"user": None, "from": None, "until": None, "override": False}
    return {
        "user": shift.user,
        "from": iso(shift.starts),
        "until": iso(shift.ends),
        "override": shift.override,
    }


def duty_json(duty, shift) -> dict:
    """A duty, its rota and who holds it now."""
    return {
        "slug": duty.slug,
        "title": duty.title,
        "period": duty.period,
        "members": json.loads(duty.members),
        "starts_on": duty.starts_on.isoformat(),
        "handover": duty.handover,
        "zone": duty.zone,
        "on_duty": shift_json(shift),
    }


@bp.get("/duties")
def list_duties():
    """Every duty with who holds it now."""
    found = duties.list_duties(actor=actor())
    holders = {held.duty.id: held.shift for held in duties.on_duty_now()}
    return jsonify({"items": [duty_json(d, holders.get(d.id)) for d in found]})


@bp.get("/duties/<slug>/on-duty")
def on_duty(slug: str):
    """Who holds the duty at ?at= (default now)."""
    at = request.args.get("at")
    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise Invalid(
                "bad_time",
                _("Give a date and time with a time zone, e.g. 2026-11-29T10:15:00Z."),
                "at",
            )
    return jsonify(shift_json(duties.shift_at(slug, moment or clock.now(), actor=actor())))


@bp.post("/duties/<slug>/overrides")
def add_override(slug: str):
    """Someone stands in for the rota from `from` to `until`, with a reason."""
    body = only_fields(json_body(), {"user", "from", "until", "reason"})
    row = duties.add_override(
        slug,
        actor=actor(),
        user=body.get("user"),
        starts=body.get("from"),
        ends=body.get("until"),
        reason=body.get("reason"),
    )
    return jsonify(
        {
            "id": row.id,
            "duty": slug,
            "user": row.user.username,
            "from": iso(row.starts),
            "until": iso(row.ends),
            "reason": row.reason,
        }
    ), 201
