"""The incident room and its live timeline: one page composed from incidents and responses."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..incidents import queries
from ..shared_parts import shared_part
from ..timeline.scopes import LIBRARY, PEOPLE, incident_scope
from ..web import plain_int
from .parts import room_audience, room_context

bp = Blueprint("room", __name__)


@bp.before_request
@login_required
def _signed_in():
    """The room needs a signed-in user; the queries check that they may read the incident."""


@bp.get("/incidents/<int:incident_id>")
def show(incident_id: int):
    """The incident room: state, next step and countdown, checklist, roles, guidance, timeline."""
    facts = queries.incident_facts(incident_id, actor=current_user)
    before = request.args.get("before", "")
    before_seq = plain_int(before)
    # the whole team refreshes the room in a storm: rendered once per change of what it shows
    part = shared_part(
        "room",
        "incidents/_room.html",
        inputs={"incident_id": incident_id, "before_seq": before_seq, "paged": bool(before)},
        audience=room_audience(current_user, facts),
        scopes=(incident_scope(incident_id), PEOPLE, LIBRARY),
        context=lambda: room_context(incident_id, before_seq, bool(before)),
    )
    return render_template("incidents/room.html", ref=facts.ref, room=part)


@bp.get("/incidents/<int:incident_id>/events")
def events_since(incident_id: int):
    """Timeline entries after ?after=<seq>, newest first, as HTML for the room's live refresh."""
    incident = queries.get_incident(incident_id, actor=current_user)
    after = request.args.get("after", "")
    events = queries.events(incident, after_seq=plain_int(after) or 0, limit=50, newest_first=True)
    response = render_template("incidents/_events.html", events=events)
    headers = {
        "X-Last-Seq": str(max((e.seq for e in events), default=plain_int(after) or 0)),
        "Cache-Control": "no-store",
    }
    return response, 200, headers
