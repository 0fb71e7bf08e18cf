"""The yearly programme: overdue after twelve months without an ended drill, the last result,
objective trends across drills, plans that are logged; on its page, the dashboard and the API."""

from datetime import timedelta

import pytest

from crisisdesk.drills import programme as plans
from crisisdesk.drills.service import set_state, start_drill
from crisisdesk.errors import Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents.models import EscalationStep
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login
from .conftest import SCRIPT, START

SCENARIO = "it-provider-outage"


def ended_drill(team, clock, *, ack_after_minutes: int | None):
    """Run the IT-provider drill; olga acknowledges the first step after the given minutes."""
    drill = start_drill(SCRIPT, actor=team["max"], participants=["olga", "lena"])
    if ack_after_minutes is not None:
        clock.advance(minutes=ack_after_minutes)
        step = db.session.query(EscalationStep).filter_by(incident_id=drill.incident_id).first()
        escalation.acknowledge(drill.incident_id, step.id, actor=team["olga"])
    clock.advance(minutes=30)
    set_state(drill.id, "end", actor=team["max"])
    return drill


def scenario(team, key=SCENARIO):
    found = plans.programme(actor=team["max"], language="en")
    return next(s for s in found if s.key == key)


def test_every_scenario_is_overdue_until_exercised_and_again_a_year_later(team, clock):
    clock.freeze(START)
    found = plans.programme(actor=team["max"], language="en")
    assert {s.key for s in found} == {
        "branch-closure-backlash",
        "data-leak-rumour",
        "it-provider-outage",
        "phishing-wave",
    }
    assert all(s.overdue and s.last_drill is None and s.next_due is None for s in found)
    drill = ended_drill(team, clock, ack_after_minutes=None)
    done = scenario(team)
    assert not done.overdue and done.last_drill == drill.id
    assert done.next_due == (START + timedelta(days=365)).date()
    clock.advance(days=364)
    assert not scenario(team).overdue
    clock.advance(days=2)
    assert scenario(team).overdue
    with pytest.raises(Forbidden):
        plans.programme(actor=team["olga"], language="en")


def test_a_running_drill_does_not_count_until_it_ends(drill, team):
    assert scenario(team).overdue and scenario(team).last_drill is None
    set_state(drill.id, "end", actor=team["max"])
    assert scenario(team).last_drill == drill.id


def test_trends_show_each_objectives_minutes_across_drills_oldest_first(team, clock):
    clock.freeze(START)
    slow = ended_drill(team, clock, ack_after_minutes=8)
    clock.advance(days=90)
    fast = ended_drill(team, clock, ack_after_minutes=3)
    found = scenario(team)
    first_ack = next(t for t in found.trends if t.id == "first-ack")
    assert [(p.drill, p.minutes, p.met) for p in first_ack.points] == [
        (slow.id, 8.0, False),
        (fast.id, 3.0, True),
    ]
    assert found.last_drill == fast.id and found.last_objectives == 4
    assert found.last_met == sum(1 for t in found.trends if t.points[-1].met)


def test_a_plan_sets_the_next_due_date_and_each_change_is_logged(team, clock):
    clock.freeze(START)
    assert (
        plans.plan_scenario(SCENARIO, "2027-03-01", actor=team["max"]).isoformat() == "2027-03-01"
    )
    assert scenario(team).next_due.isoformat() == "2027-03-01"
    plans.plan_scenario(SCENARIO, "2027-03-01", actor=team["max"])  # no change, no event
    plans.plan_scenario(SCENARIO, None, actor=team["max"])
    assert scenario(team).planned is None
    logged = db.session.scalars(
        db.select(TimelineEvent.kind).where(TimelineEvent.kind == "drill_plan_changed")
    ).all()
    assert len(logged) == 2
    for key, day, field in (
        ("no-such", "2027-03-01", "scenario"),
        (SCENARIO, "2027-02-30", "due_on"),
        (SCENARIO, "01.03.2027", "due_on"),
        (SCENARIO, "2035-01-01", "due_on"),
        (SCENARIO, 20270301, "due_on"),
    ):
        with pytest.raises(Invalid) as refused:
            plans.plan_scenario(key, day, actor=team["max"])
        assert refused.value.field == field
    with pytest.raises(Forbidden):
        plans.plan_scenario(SCENARIO, "2027-03-01", actor=team["olga"])


def test_the_programme_page_the_dashboard_and_the_api(client, team, token_for, clock):
    clock.freeze(START)
    login(client, "max")
    page = client.get("/drills/programme").get_data(as_text=True)
    assert page.count('class="card mb-2 scenario"') == 4 and "overdue" in page
    saved = client.post("/drills/programme", data={"scenario": SCENARIO, "due_on": "2027-04-15"})
    assert saved.status_code == 302 and scenario(team).planned.isoformat() == "2027-04-15"
    bad = client.post("/drills/programme", data={"scenario": SCENARIO, "due_on": "2040-01-01"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'value="2040-01-01"' in text and "three years ahead" in text
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "4 scenarios overdue" in dashboard
    boss = token_for(team["max"])
    listed = client.get("/api/v1/drills/programme?language=en", headers=boss).json["scenarios"]
    assert {s["scenario"]: s["planned"] for s in listed}[SCENARIO] == "2027-04-15"
    put = client.put(f"/api/v1/drills/programme/{SCENARIO}", headers=boss, json={"due_on": None})
    assert put.status_code == 200 and put.json["planned"] is None
    assert (
        client.put(f"/api/v1/drills/programme/{SCENARIO}", headers=boss, json={}).status_code == 422
    )
    assert (
        client.put(
            "/api/v1/drills/programme/nope", headers=boss, json={"due_on": "2027-01-01"}
        ).status_code
        == 422
    )
    assert client.get("/api/v1/drills/programme?language=fr", headers=boss).status_code == 422
    olga = token_for(team["olga"])
    assert client.get("/api/v1/drills/programme", headers=olga).status_code == 403
