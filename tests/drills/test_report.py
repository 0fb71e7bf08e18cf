"""The exercise report: objectives and reactions measured from the timeline, recomputable from
the exported events alone; signed off once by the exercise lead after the drill ended."""

from datetime import datetime

import pytest

from crisisdesk.drills.figures import figures
from crisisdesk.drills.report import exercise_report, sign_off
from crisisdesk.drills.service import script_of, set_state
from crisisdesk.errors import Conflict, Forbidden
from crisisdesk.extensions import db
from crisisdesk.incidents import entries, escalation
from crisisdesk.incidents.models import EscalationStep
from crisisdesk.notify import worker
from crisisdesk.responses import publishing
from crisisdesk.responses import service as responses

from ..conftest import login
from .conftest import START


def play(drill, team, clock):
    """The team: acknowledges at 3 min, briefs staff at 12, legal reviews in 9, posts at 40."""
    olga, lena = team["olga"], team["lena"]
    worker.tick()
    clock.advance(minutes=3)
    step = db.session.query(EscalationStep).filter_by(incident_id=drill.incident_id).first()
    escalation.acknowledge(drill.incident_id, step.id, actor=olga)
    clock.advance(minutes=9)
    staff = responses.draft_response(
        drill.incident_id, actor=olga, channel="intranet", body="Intern"
    )
    responses.submit_response(staff.id, actor=olga)
    responses.approve_response(staff.id, actor=lena)
    publishing.publish_response(staff.id, actor=olga)
    clock.advance(minutes=13)  # minute 25: the journalist calls (expects a publication in 30)
    worker.tick()
    post = responses.draft_response(drill.incident_id, actor=olga, channel="x", body="We know.")
    responses.submit_response(post.id, actor=olga)
    clock.advance(minutes=9)
    responses.approve_response(post.id, actor=lena)
    clock.advance(minutes=6)  # minute 40
    publishing.publish_response(post.id, actor=olga)
    entries.add_note(drill.incident_id, "Press office called back", actor=olga)
    clock.advance(minutes=5)
    worker.tick()
    set_state(drill.id, "end", actor=team["max"])


def test_objectives_are_measured_from_the_timeline(drill, team, clock):
    play(drill, team, clock)
    report = exercise_report(drill.id, actor=team["max"])
    found = {o["id"]: (o["seconds"], o["met"]) for o in report["objectives"]}
    assert found == {
        "first-ack": (180.0, True),
        "staff-first": (720.0, True),
        "holding-out": (2400.0, False),  # 40 min against 30
        "legal-fast": (540.0, True),  # the slowest review: 9 min against 15
    }
    reactions = {r["key"]: (r["seconds"], r["met"]) for r in report["reactions"]}
    assert reactions["first-complaint"] == (2400.0, False)  # the reply on X came at 40, not 20
    assert reactions["journalist"] == (900.0, True)  # published 15 min after the call
    assert report["checklist"]["total"] > 0 and report["roles"][0]["user"] == "olga"
    assert report["chain"]["first_seq"] < report["chain"]["last_seq"]


def test_the_figures_are_recomputed_from_the_exported_events_alone(
    client, drill, team, clock, token_for
):
    play(drill, team, clock)
    exported = client.get(f"/api/v1/drills/{drill.id}/report", headers=token_for(team["max"])).json
    events = [{**e, "at": datetime.fromisoformat(e["at"])} for e in exported["events"]]
    again = figures(script_of(drill), START, events)
    assert again["objectives"] == exported["objectives"]
    assert again["reactions"] == exported["reactions"]
    assert again["legal_reviews_s"] == exported["legal_reviews_s"] == [0.0, 540.0]


def test_the_lead_signs_off_once_after_the_end(drill, team, clock, make_user):
    other = make_user("mia", roles=["management"])
    with pytest.raises(Conflict):
        sign_off(drill.id, actor=team["max"])  # still running
    play(drill, team, clock)
    with pytest.raises(Forbidden):
        sign_off(drill.id, actor=other)
    signed = sign_off(drill.id, actor=team["max"])
    assert signed.signed_off_by_id == team["max"].id
    assert exercise_report(drill.id, actor=team["max"])["signed_off"]["by"] == "max"
    with pytest.raises(Conflict):
        sign_off(drill.id, actor=team["max"])


def test_the_report_page_markdown_and_the_sign_off_button(client, drill, team, clock):
    play(drill, team, clock)
    login(client, "max")
    page = client.get(f"/drills/{drill.id}/report").get_data(as_text=True)
    assert "Sign off the report" in page and "missed" in page and "met" in page
    markdown = client.get(f"/drills/{drill.id}/report.md")
    assert markdown.headers["Content-Disposition"].startswith("attachment;")
    text = markdown.get_data(as_text=True)
    assert text.startswith("# Exercise report: ") and "| 30 min | 40.0 min | missed |" in text
    assert client.post(f"/drills/{drill.id}/sign-off").status_code == 302
    assert "Signed off by max" in client.get(f"/drills/{drill.id}/report").get_data(as_text=True)


def test_staff_informed_counts_every_internal_audience_and_reads_older_events_by_channel():
    from crisisdesk.drills.figures import MEASURES

    def published(**data):
        return {"kind": "response_published", "data": data}

    informed, public = MEASURES["staff_informed"], MEASURES["first_publication"]
    assert informed(published(channel="service_script", audience="service_centre"))
    assert informed(published(channel="email", audience="staff"))
    assert not informed(published(channel="email", audience="customers"))
    assert public(published(channel="email", audience="customers"))
    assert informed(published(channel="intranet"))  # recorded before responses had audiences
    assert public(published(channel="x"))
