"""Drills: start one from a script, see it, pause, resume, bring the next inject forward, end."""

from __future__ import annotations

from flask import jsonify

from ..drills import report as reports
from ..drills import service
from ..drills.schedule import releases
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import iso


def drill_json(drill) -> dict:
    """A drill as the API shows it: its incident, state and which injects are out."""
    script = service.script_of(drill)
    out = set(service.released_keys(drill))
    return {
        "id": drill.id,
        "incident_id": drill.incident_id,
        "script": drill.script_slug,
        "status": drill.status,
        "announced": drill.announced,
        "participants": drill.participant_names(),
        "started_at": iso(drill.started_at),
        "ended_at": iso(drill.ended_at),
        "injects": [
            {
                "key": r.key,
                "kind": r.inject.kind,
                "minute": r.offset.total_seconds() / 60,
                "released": r.key in out,
            }
            for r in (releases(script) if script else [])
        ],
    }


@bp.post("/drills")
def post_drill():
    """Start a drill from a script (administrators, management)."""
    body = only_fields(json_body(), {"script", "participants", "announced"})
    drill = service.start_drill(
        body.get("script"),
        actor=actor(),
        participants=body.get("participants"),
        announced=body.get("announced", True),
    )
    return jsonify(drill_json(drill)), 201


@bp.get("/drills/<int:drill_id>")
def get_drill(drill_id: int):
    """One drill (its exercise leads)."""
    return jsonify(drill_json(service.get_drill(drill_id, actor=actor())))


def _move(drill_id: int, state: str):
    only_fields(json_body(), set())
    return jsonify(drill_json(service.set_state(drill_id, state, actor=actor())))


@bp.post("/drills/<int:drill_id>/pause")
def pause_drill(drill_id: int):
    """Pause the drill: its clock stands still and its injects wait."""
    return _move(drill_id, "pause")


@bp.post("/drills/<int:drill_id>/resume")
def resume_drill(drill_id: int):
    """Resume a paused drill."""
    return _move(drill_id, "resume")


@bp.post("/drills/<int:drill_id>/end")
def end_drill(drill_id: int):
    """End the drill."""
    return _move(drill_id, "end")


@bp.post("/drills/<int:drill_id>/fast-forward")
def fast_forward(drill_id: int):
    """Release the next inject now, ahead of its minute."""
    only_fields(json_body(), set())
    service.fast_forward(drill_id, actor=actor())
    return jsonify(drill_json(service.get_drill(drill_id, actor=actor())))


@bp.get("/drills/<int:drill_id>/report")
def get_drill_report(drill_id: int):
    """The exercise report with the events its figures are computed from."""
    return jsonify(reports.exercise_report(drill_id, actor=actor()))


@bp.post("/drills/<int:drill_id>/sign-off")
def sign_off_drill(drill_id: int):
    """The exercise lead signs the ended drill's report."""
    only_fields(json_body(), set())
    reports.sign_off(drill_id, actor=actor())
    return jsonify(reports.exercise_report(drill_id, actor=actor()))
