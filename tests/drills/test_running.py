"""A drill runs on its own incident: injects arrive at their minute once, pauses hold them, and
nothing of it reaches the public site or the real figures."""

import pytest

from crisisdesk.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident
from crisisdesk.notify import worker
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login, run_together
from .conftest import SCRIPT, START


def injects(drill) -> list[dict]:
    db.session.rollback()
    events = db.session.query(TimelineEvent).filter_by(
        incident_id=drill.incident_id, kind="drill_inject"
    )
    return [decoded_data(event) for event in events.order_by(TimelineEvent.seq)]


def test_management_starts_a_drill_on_a_drill_incident_led_by_a_participant(drill, team):
    incident = db.session.get(Incident, drill.incident_id)
    assert incident.drill is True and incident.lead_id == team["olga"].id
    assert incident.opened_by_id == team["max"].id and incident.severity == 2
    assert drill.participant_names() == ["olga", "lena"] and drill.status == "running"


def test_only_exercise_leads_start_drills_and_bad_input_is_refused(team):
    from crisisdesk.drills.service import start_drill

    with pytest.raises(Forbidden):
        start_drill(SCRIPT, actor=team["olga"], participants=["olga"])
    for script, participants, field in (
        ("no-such-drill", ["olga"], "script"),
        (SCRIPT, ["nobody"], "participants"),
        (SCRIPT, "olga", "participants"),
        (SCRIPT, ["lena"], "participants"),  # legal cannot lead the incident
    ):
        with pytest.raises(Invalid) as refused:
            start_drill(script, actor=team["max"], participants=participants)
        assert refused.value.field == field
    assert db.session.query(Incident).count() == 0


def test_injects_arrive_at_their_minute_and_a_wave_post_by_post(drill, clock):
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint"]
    clock.advance(minutes=5)
    worker.tick()
    assert [d["key"] for d in injects(drill)][-1] == "provider-first"
    clock.advance(minutes=12, seconds=30)  # minute 17:30: the wave's posts 1, 2 and 3
    worker.tick()
    keys = [d["key"] for d in injects(drill)]
    assert keys[2:] == ["wave#1", "wave#2", "wave#3"]
    post = injects(drill)[2]
    assert (post["platform"], post["part"], post["count"]) == ("facebook", 1, 12)


def test_a_paused_drill_holds_its_injects_and_resumes_where_it_stood(drill, team, clock):
    from crisisdesk.drills.service import set_state

    worker.tick()
    set_state(drill.id, "pause", actor=team["max"])
    clock.advance(minutes=60)
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint"]
    set_state(drill.id, "resume", actor=team["max"])
    clock.advance(minutes=5)
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint", "provider-first"]
    with pytest.raises(Conflict):
        set_state(drill.id, "resume", actor=team["max"])


def test_two_workers_never_release_one_inject_twice(app, drill, clock):
    from crisisdesk.drills.service import release_due_injects

    clock.advance(minutes=30)

    def work(_index):
        with app.app_context():
            return release_due_injects()

    results, errors = run_together(app, 2, work)
    assert not errors
    keys = [d["key"] for d in injects(drill)]
    assert len(keys) == len(set(keys)) == sum(results) == 2 + 12 + 1  # post, provider, wave, call


def test_fast_forward_brings_the_next_inject_now_and_end_stops_them(drill, team, clock):
    from crisisdesk.drills.service import fast_forward, set_state

    worker.tick()
    assert fast_forward(drill.id, actor=team["max"]) == "provider-first"
    assert injects(drill)[-1]["early"] is True
    set_state(drill.id, "end", actor=team["max"])
    clock.advance(hours=2)
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint", "provider-first"]


def test_a_drill_never_reaches_the_public_site(drill, team, clock):
    from crisisdesk.public.models import PublicNotice
    from crisisdesk.responses import publishing
    from crisisdesk.responses import service as responses

    olga = team["olga"]
    response = responses.draft_response(
        drill.incident_id, actor=olga, channel="website", body="Test"
    )
    responses.submit_response(response.id, actor=olga)
    responses.approve_response(response.id, actor=team["lena"])
    assert publishing.publish_response(response.id, actor=olga).status == "published"
    assert db.session.query(PublicNotice).count() == 0


def test_drill_incidents_stay_out_of_the_dashboards_figures(drill, team):
    from crisisdesk.review.figures import dashboard_context, summary

    assert summary(30, since=START.replace(day=1))["total"] == 0
    assert dashboard_context("90d", "", START.date())["live"] == []


def test_the_room_and_board_mark_the_drill(client, drill):
    from ..conftest import login

    login(client, "olga")
    room = client.get(f"/incidents/{drill.incident_id}").get_data(as_text=True)
    assert "drill-banner" in room and "DRILL:" in room
    assert "DRILL" in client.get("/").get_data(as_text=True)


def test_the_api_runs_a_drill(client, team, token_for, clock):
    clock.freeze(START)
    boss, olga = token_for(team["max"]), token_for(team["olga"])
    started = client.post(
        "/api/v1/drills", headers=boss, json={"script": SCRIPT, "participants": ["olga"]}
    )
    assert started.status_code == 201
    drill = started.json
    assert drill["status"] == "running" and drill["injects"][0] == {
        "key": "first-complaint",
        "kind": "social_post",
        "minute": 0.0,
        "released": False,
    }
    assert client.get(f"/api/v1/incidents/{drill['incident_id']}", headers=olga).json["drill"]
    assert client.post("/api/v1/drills", headers=olga, json={"script": SCRIPT}).status_code == 403
    bad = client.post("/api/v1/drills", headers=boss, json={"script": SCRIPT, "x": 1})
    assert bad.status_code in (400, 422)
    paused = client.post(f"/api/v1/drills/{drill['id']}/pause", headers=boss)
    assert paused.json["status"] == "paused"
    assert client.post(f"/api/v1/drills/{drill['id']}/pause", headers=boss).status_code == 409
    forward = client.post(f"/api/v1/drills/{drill['id']}/fast-forward", headers=boss).json
    assert forward["injects"][0]["released"] is True
    assert client.post(f"/api/v1/drills/{drill['id']}/end", headers=boss).json["status"] == "ended"
    assert client.get("/api/v1/drills/999", headers=boss).status_code == 404


def test_a_running_drill_keeps_its_incident_open_and_a_closed_one_gets_no_injects(
    drill, team, clock
):
    from crisisdesk.drills.service import fast_forward, set_state
    from crisisdesk.incidents import service as incidents
    from crisisdesk.review import service as review

    olga, boss = team["olga"], team["max"]
    for status in ("monitoring", "resolved"):
        incidents.update_incident(drill.incident_id, actor=olga, status=status)
    review.update_postmortem(drill.incident_id, actor=olga, summary="Drill handled.")
    with pytest.raises(Conflict) as refused:
        incidents.update_incident(drill.incident_id, actor=olga, status="closed")
    assert refused.value.reason == "drill_running"
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint"]
    set_state(drill.id, "end", actor=boss)
    incidents.update_incident(drill.incident_id, actor=olga, status="closed")
    clock.advance(hours=3)
    worker.tick()
    assert [d["key"] for d in injects(drill)] == ["first-complaint"]
    for move in (
        lambda: set_state(drill.id, "resume", actor=boss),
        lambda: fast_forward(drill.id, actor=boss),
    ):
        with pytest.raises(Conflict) as refused:
            move()
        assert refused.value.reason == "closed"


def test_the_drills_list_pages_newest_first_in_the_api_and_on_the_page(
    client, team, token_for, clock, monkeypatch
):
    from crisisdesk.drills.service import start_drill

    clock.freeze(START)
    ids = [start_drill(SCRIPT, actor=team["max"], participants=["olga"]).id for _ in range(5)]
    boss = token_for(team["max"])
    first = client.get("/api/v1/drills?limit=2", headers=boss).json
    assert [d["id"] for d in first["items"]] == ids[:-3:-1]
    seen = [d["id"] for d in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        more = client.get(f"/api/v1/drills?limit=2&cursor={cursor}", headers=boss).json
        seen += [d["id"] for d in more["items"]]
        cursor = more["next_cursor"]
    assert seen == ids[::-1]
    bad = client.get("/api/v1/drills?cursor=xyz", headers=boss)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "cursor"
    assert client.get("/api/v1/drills", headers=token_for(team["olga"])).status_code == 403
    login(client, "max")
    page = client.get("/drills").get_data(as_text=True)
    assert page.count('class="list-group-item"') == 5 and 'href="/drills?before=' not in page
    monkeypatch.setattr("crisisdesk.drills.views.PAGE", 3)
    first = client.get("/drills").get_data(as_text=True)
    assert (
        first.count('class="list-group-item"') == 3 and f'href="/drills?before={ids[2]}"' in first
    )
    older = client.get(f"/drills?before={ids[2]}").get_data(as_text=True)
    assert older.count('class="list-group-item"') == 2 and 'href="/drills?before=' not in older


def test_naming_no_one_takes_whoever_holds_a_duty_now_and_no_rota_means_no_lead(team, clock):
    from crisisdesk.drills.service import start_drill
    from crisisdesk.people import duties

    clock.freeze(START)  # Monday 7 December 2026, 08:30 in Berlin
    with pytest.raises(Invalid) as refused:
        start_drill(SCRIPT, actor=team["max"])
    assert refused.value.reason == "no_drill_lead"
    for slug, members in (("social", ["olga"]), ("legal", ["lena", "olga"])):
        duties.save_duty(
            slug,
            actor=team["max"],
            title=slug,
            period="weekly",
            members=members,
            starts_on="2026-12-07",
            handover="08:00",
            zone="Europe/Berlin",
        )
    drill = start_drill(SCRIPT, actor=team["max"], participants=[])
    assert sorted(drill.participant_names()) == ["lena", "olga"]  # lena holds legal this week
    assert db.session.get(Incident, drill.incident_id).lead_id == team["olga"].id
    started = db.session.scalars(
        db.select(TimelineEvent).filter_by(incident_id=drill.incident_id, kind="drill_started")
    ).one()
    assert decoded_data(started)["from_rota"] is True
