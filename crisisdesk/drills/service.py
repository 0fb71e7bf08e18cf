"""Running a drill: start it from a script on its own incident, pause, resume, end; and the
worker's part, releasing each inject once when the drill's own clock reaches its minute."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..accounts.permissions import require_role
from ..accounts.service import find_user
from ..database import begin_write, get_by_id, insert_ignore
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import require_not_closed
from ..incidents.roles import may_hold
from ..incidents.service import open_incident_in_transaction
from ..library.content import DrillScript
from ..library.loader import drill_from_text
from ..library.models import ContentVersion
from ..library.service import version_of
from ..library.store import get_library
from ..people.duties import on_duty_now
from ..timeline import append_event
from . import schedule
from .models import Drill, DrillRelease

#: who runs an exercise
LEADS = ("admin", "management")
PARTICIPANTS_MAX = 50


def require_exercise_lead(actor) -> None:
    """Starting, pausing and ending drills is for administrators and management."""
    require_role(actor, *LEADS)


def start_drill(script, *, actor, participants=None, announced=True) -> Drill:
    """Open a drill incident from a script; its first on-call participant leads it."""
    require_exercise_lead(actor)
    chosen = get_library().drills.get(script) if isinstance(script, str) else None
    if chosen is None:
        raise Invalid(
            "unknown_script", _("There is no drill script %(s)s.", s=str(script)[:100]), "script"
        )
    if not isinstance(announced, bool):
        raise Invalid("bad_flag", _("announced must be true or false."), "announced")
    from_rota = participants is None or participants == []
    people = _on_duty_now() if from_rota else _participants(participants)
    lead = next((user for user in people if may_hold(user, "lead")), None)
    if lead is None and not may_hold(actor, "lead"):
        raise Invalid(
            "no_drill_lead",
            _("Name at least one on-call participant: someone must lead the drill incident."),
            "participants",
        )
    begin_write()
    incident = open_incident_in_transaction(
        actor=actor,
        title=chosen.title,
        severity=chosen.severity,
        playbook=chosen.playbook,
        drill=True,
        lead=lead,
    )
    version = version_of(chosen)
    drill = Drill(
        incident_id=incident.id,
        script_slug=chosen.slug,
        script_version_id=version.id,
        lead_id=actor.id,
        announced=announced,
        participants=json.dumps([user.username for user in people]),
        status="running",
        started_at=incident.opened_at,
        pauses="[]",
    )
    db.session.add(drill)
    db.session.flush()
    append_event(
        "drill_started",
        actor=actor,
        incident_id=incident.id,
        data={
            "drill": drill.id,
            "script": chosen.slug,
            "script_sha256": chosen.sha256,
            "announced": announced,
            "participants": [user.username for user in people],
            "from_rota": from_rota,
        },
    )
    db.session.commit()
    return drill


def _on_duty_now() -> list:
    # no one named: the exercise reaches whoever holds a duty now, as a real alarm would
    people = []
    for now in on_duty_now(clock.now()):
        user = find_user(now.shift.user) if now.shift else None
        if user is not None and user.active and user.roles and user not in people:
            people.append(user)
    return people


def _participants(value) -> list:
    if not isinstance(value, list) or len(value) > PARTICIPANTS_MAX:
        raise Invalid(
            "bad_participants",
            _("participants must be a list of at most %(n)d usernames.", n=PARTICIPANTS_MAX),
            "participants",
        )
    people = []
    for name in value:
        user = find_user(name) if isinstance(name, str) else None
        if user is None or not user.active or not user.roles:
            raise Invalid(
                "unknown_user",
                _("There is no active desk user %(u)s.", u=str(name)[:40]),
                "participants",
            )
        if user not in people:
            people.append(user)
    return people


def get_drill(drill_id, *, actor) -> Drill:
    """One drill, for its exercise leads (admin, management)."""
    require_exercise_lead(actor)
    drill = get_by_id(Drill, drill_id)
    if drill is None:
        raise NotFound("unknown_drill", _("There is no such drill."))
    return drill


def list_drills(*, actor, before_id: int | None = None, limit: int = 50) -> list[Drill]:
    """Drills newest first, `limit` of them older than `before_id` (exercise leads)."""
    require_exercise_lead(actor)
    query = select(Drill).order_by(Drill.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(Drill.id < before_id)
    return list(db.session.scalars(query))


def require_drill_ended(incident) -> None:
    """Refuse closing a drill incident while its drill still runs (a close check)."""
    drill = drill_of_incident(incident.id)
    if drill is not None and drill.status != "ended":
        raise Conflict(
            "drill_running", _("End the drill before closing its incident."), field="status"
        )


def _require_open_incident(drill: Drill) -> None:
    require_not_closed(db.session.get(Incident, drill.incident_id))


def drill_of_incident(incident_id: int) -> Drill | None:
    """The drill running on an incident, if it is a drill incident."""
    return db.session.scalar(select(Drill).where(Drill.incident_id == incident_id))


def set_state(drill_id, state: str, *, actor) -> Drill:
    """Pause, resume or end a drill; each move is logged on its incident."""
    moves = {"pause": ("running",), "resume": ("paused",), "end": ("running", "paused")}
    if state not in moves:
        raise Invalid("bad_state", _("Choose pause, resume or end."), "state")
    begin_write()
    drill = get_drill(drill_id, actor=actor)
    db.session.refresh(drill, with_for_update=True)
    _require_open_incident(drill)
    if drill.status not in moves[state]:
        raise Conflict("drill_state", _("The drill is %(s)s.", s=drill.status))
    now = clock.now()
    spans = json.loads(drill.pauses)
    if state == "pause":
        spans.append([now.isoformat(), None])
        drill.status = "paused"
    else:
        if spans and spans[-1][1] is None:
            spans[-1][1] = now.isoformat()
        drill.status = "running" if state == "resume" else "ended"
        if state == "end":
            drill.ended_at = now
    drill.pauses = json.dumps(spans)
    done = {"pause": "paused", "resume": "resumed", "end": "ended"}[state]
    append_event(
        f"drill_{done}", actor=actor, incident_id=drill.incident_id, data={"drill": drill.id}
    )
    db.session.commit()
    return drill


def fast_forward(drill_id, *, actor) -> str | None:
    """Release the next inject now, ahead of its minute; its key, or None if all are out."""
    begin_write()
    drill = get_drill(drill_id, actor=actor)
    db.session.refresh(drill, with_for_update=True)
    _require_open_incident(drill)
    if drill.status == "ended":
        raise Conflict("drill_state", _("The drill is %(s)s.", s=drill.status))
    script = script_of(drill)
    release = schedule.next_due(script, released_keys(drill)) if script else None
    if release is None:
        db.session.rollback()
        return None
    if insert_ignore(
        DrillRelease,
        "key",
        key=f"{drill.id}:{release.key}",
        drill_id=drill.id,
        released_at=clock.now(),
    ):
        data = {**_inject_data(drill, release), "early": True}
        append_event("drill_inject", actor=actor, incident_id=drill.incident_id, data=data)
    db.session.commit()
    return release.key


def script_of(drill: Drill) -> DrillScript | None:
    """The exact script version the drill started with."""
    current = get_library().drills.get(drill.script_slug)
    version = db.session.get(ContentVersion, drill.script_version_id)
    if current is not None and current.sha256 == version.sha256:
        return current
    return drill_from_text(version.text, version.path, version.sha256)


def released_keys(drill: Drill) -> list[str]:
    """The release keys already on the drill's timeline."""
    prefix = f"{drill.id}:"
    rows = db.session.scalars(select(DrillRelease.key).where(DrillRelease.drill_id == drill.id))
    return [key.removeprefix(prefix) for key in rows]


def release_due_injects() -> int:
    """Put every due inject of every running drill on its timeline, each exactly once."""
    released = 0
    running = (
        select(Drill.id)
        .join(Incident, Incident.id == Drill.incident_id)
        .where(Drill.status == "running", Incident.status != "closed")
    )
    for drill_id in db.session.scalars(running).all():
        released += _release(drill_id)
    db.session.rollback()
    return released


def _release(drill_id: int) -> int:
    drill = db.session.get(Drill, drill_id)
    script = script_of(drill)
    if script is None:
        return 0
    now = clock.now()
    due = schedule.due(script, drill.started_at, now, drill.pause_spans(), released_keys(drill))
    count = 0
    for release in due:
        begin_write()
        # the unique key decides between two workers: the one that inserts it tells it
        key = f"{drill.id}:{release.key}"
        if insert_ignore(DrillRelease, "key", key=key, drill_id=drill.id, released_at=now):
            data = _inject_data(drill, release)
            append_event("drill_inject", actor=None, incident_id=drill.incident_id, data=data)
            count += 1
        db.session.commit()
    return count


def _inject_data(drill: Drill, release: schedule.Release) -> dict:
    inject = release.inject
    data = {
        "drill": drill.id,
        "key": release.key,
        "inject": inject.id,
        "kind": inject.kind,
        "text": inject.text,
        "at_minute": inject.at_minute,
    }
    for name in ("platform", "author", "reach", "severity", "expects", "within_minutes"):
        value = getattr(inject, name)
        if value not in ("", None, 0):
            data[name] = value
    if inject.kind == "complaint_wave":
        data.update(part=release.part, count=inject.count)
    return data
