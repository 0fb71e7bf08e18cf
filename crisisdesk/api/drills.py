"""Drills: start one from a script, see it, pause, resume, bring the next inject forward, end."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..drills import programme, service
from ..drills import report as reports
from ..drills.schedule import releases
from ..errors import Invalid
from . import bp
from .helpers import actor, json_body, number_cursor, only_fields, page, page_limit
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


@bp.get("/drills")
def list_drills():
    """Drills newest first, paged by ?cursor= and ?limit= (exercise leads)."""
    before, limit = number_cursor(), page_limit()
    drills = service.list_drills(actor=actor(), before_id=before, limit=limit + 1)
    return jsonify(page(drills, drill_json, lambda drill: [drill.id]))


@bp.get("/drills/programme")
def get_programme():
    """Each scenario's plan, last exercise and result, overdue flag and objective trends."""
    service.require_exercise_lead(actor())
    language = request.args.get("language", str(actor().language or "de"))
    if language not in ("de", "en"):
        raise Invalid("bad_language", _("language must be de or en."), "language")
    found = programme.programme(actor=actor(), language=language)
    return jsonify({"scenarios": [scenario_json(s) for s in found]})


@bp.put("/drills/programme/<scenario>")
def put_plan(scenario: str):
    """Plan a scenario's next exercise (`due_on`: a date, or null to take it off the plan)."""
    service.require_exercise_lead(actor())  # who asks comes before what they sent
    body = only_fields(json_body(), {"due_on"}, nullable={"due_on"})
    if "due_on" not in body:
        raise Invalid("missing_field", _("due_on is required (a date or null)."), "due_on")
    programme.plan_scenario(scenario, body["due_on"], actor=actor())
    found = programme.programme(actor=actor(), language=str(actor().language or "de"))
    return jsonify(scenario_json(next(s for s in found if s.key == scenario)))


def scenario_json(scenario) -> dict:
    """A scenario's place in the programme as the API shows it."""
    return {
        "scenario": scenario.key,
        "title": scenario.title,
        "planned": scenario.planned.isoformat() if scenario.planned else None,
        "next_due": scenario.next_due.isoformat() if scenario.next_due else None,
        "overdue": scenario.overdue,
        "last_drill": scenario.last_drill,
        "last_ended_at": iso(scenario.last_ended),
        "last_result": {"met": scenario.last_met, "objectives": scenario.last_objectives}
        if scenario.last_drill
        else None,
        "trends": [
            {
                "objective": t.id,
                "target_minutes": t.target_minutes,
                "points": [
                    {
                        "drill": p.drill,
                        "ended_on": p.ended_on.isoformat(),
                        "minutes": p.minutes,
                        "met": p.met,
                    }
                    for p in t.points
                ],
            }
            for t in scenario.trends
        ],
    }


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
