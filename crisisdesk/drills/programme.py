"""The yearly drill programme: each scenario's planned date, its last exercise and result, which
scenarios are overdue (none in twelve months) and how the objective times moved across drills."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, values
from ..database import begin_write
from ..errors import Invalid
from ..extensions import db
from ..library.content import DrillScript
from ..library.models import ContentVersion
from ..library.store import get_library
from ..timeline import append_event
from .figures import objective_results
from .models import Drill, DrillPlan
from .report import drill_events
from .service import require_exercise_lead, script_of

#: a scenario not exercised for this long is overdue (DORA Art. 11(6): at least yearly)
CYCLE = timedelta(days=365)
#: how many of a scenario's ended drills its trend shows, newest last
TREND_DRILLS = 5
PLAN_AHEAD = timedelta(days=3 * 365)


@dataclass(frozen=True)
class Point:
    """One drill's measured time for one objective."""

    drill: int
    ended_on: date
    minutes: float | None  #: None: it did not happen during the drill
    met: bool


@dataclass
class ObjectiveTrend:
    """An objective of the scenario and its times across the last drills."""

    id: str
    text: str
    target_minutes: int
    points: list[Point] = field(default_factory=list)


@dataclass
class Scenario:
    """A scenario's place in the programme."""

    key: str
    title: str
    planned: date | None
    last_drill: int | None = None
    last_ended: datetime | None = None
    last_met: int = 0
    last_objectives: int = 0
    overdue: bool = True
    next_due: date | None = None
    trends: list[ObjectiveTrend] = field(default_factory=list)


def scenario_of(path: str) -> str:
    """The scenario a script file belongs to: drills/<scenario>.<de|en>.md."""
    return PurePosixPath(path).name.split(".")[0]


def scenarios(language: str) -> dict[str, DrillScript]:
    """Each scenario of the library, by its script in `language` (else its other one)."""
    found: dict[str, DrillScript] = {}
    for script in sorted(get_library().drills.values(), key=lambda s: s.language != language):
        found.setdefault(scenario_of(script.path), script)
    return dict(sorted(found.items(), key=lambda pair: pair[1].title.casefold()))


def programme(*, actor, language: str) -> list[Scenario]:
    """Every scenario with its plan, last exercise, result and trends (exercise leads)."""
    require_exercise_lead(actor)
    plans = {plan.scenario: plan.due_on for plan in db.session.scalars(select(DrillPlan))}
    ended = _ended_drills()
    now = clock.now()
    found = []
    for key, script in scenarios(language).items():
        scenario = Scenario(key, script.title, plans.get(key))
        drills = ended.get(key, [])[:TREND_DRILLS][::-1]
        scenario.trends = [
            ObjectiveTrend(o.id, o.text, o.target_minutes) for o in script.objectives
        ]
        for drill in drills:
            _add_figures(scenario, drill)
        if drills:
            scenario.last_drill, scenario.last_ended = drills[-1].id, drills[-1].ended_at
        scenario.overdue = scenario.last_ended is None or scenario.last_ended < now - CYCLE
        scenario.next_due = _next_due(scenario)
        found.append(scenario)
    return found


def _ended_drills() -> dict[str, list[Drill]]:
    # the scenario comes from the file the drill ran, so renamed or retired scripts still count
    rows = db.session.execute(
        select(Drill, ContentVersion.path)
        .join(ContentVersion, ContentVersion.id == Drill.script_version_id)
        .where(Drill.status == "ended")
        .order_by(Drill.ended_at.desc(), Drill.id.desc())
    )
    by_scenario: dict[str, list[Drill]] = {}
    for drill, path in rows:
        by_scenario.setdefault(scenario_of(path), []).append(drill)
    return by_scenario


def _add_figures(scenario: Scenario, drill: Drill) -> None:
    script = script_of(drill)
    if script is None:
        return
    results = {r.id: r for r in objective_results(script, drill.started_at, drill_events(drill))}
    for trend in scenario.trends:
        result = results.get(trend.id)
        if result is not None:
            minutes = round(result.seconds / 60, 1) if result.seconds is not None else None
            trend.points.append(Point(drill.id, drill.ended_at.date(), minutes, result.met))
    scenario.last_met = sum(1 for r in results.values() if r.met)
    scenario.last_objectives = len(results)


def _next_due(scenario: Scenario) -> date | None:
    last = scenario.last_ended.date() if scenario.last_ended else None
    if scenario.planned is not None and (last is None or scenario.planned > last):
        return scenario.planned
    return last + CYCLE if last else None


def plan_scenario(key, due_on, *, actor) -> date | None:
    """Plan (or with None, unplan) a scenario's next exercise; logged."""
    require_exercise_lead(actor)
    if not isinstance(key, str) or key not in scenarios("de"):
        raise Invalid(
            "unknown_scenario", _("There is no drill scenario %(s)s.", s=str(key)[:100]), "scenario"
        )
    wanted = _due_on(due_on)
    begin_write()
    plan = db.session.get(DrillPlan, key, with_for_update=True)
    before = plan.due_on.isoformat() if plan else None
    if wanted is None and plan is not None:
        db.session.delete(plan)
    elif wanted is not None and plan is None:
        db.session.add(DrillPlan(scenario=key, due_on=wanted, changed_by_id=actor.id))
    elif wanted is not None:
        plan.due_on, plan.changed_by_id, plan.changed_at = wanted, actor.id, clock.now()
    after = wanted.isoformat() if wanted else None
    if before != after:
        data = {"scenario": key, "before": before, "after": after}
        append_event("drill_plan_changed", actor=actor, data=data)
    db.session.commit()
    return wanted


def _due_on(value) -> date | None:
    day = values.iso_day(value)
    if day is None:
        return None
    today = clock.now().date()
    if day is False or not today - CYCLE <= day <= today + PLAN_AHEAD:
        raise Invalid(
            "bad_date",
            _("Give a date (YYYY-MM-DD) from a year ago to three years ahead."),
            "due_on",
        )
    return day
