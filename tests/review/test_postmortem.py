"""Post-mortem editing, closing, exports (stable,
escaped), the dashboard, and audit verification.
"""

import json

import pytest
from sqlalchemy import func, select, text

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses
from crisisdesk.review import service
from crisisdesk.review.queries import STORY_PAGE
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login


@pytest.fixture
def setup(make_user, token_for, clock):
    olga = make_user("olga", roles=["oncall"])
    lena = make_user("lena", roles=["legal"])
    max_ = make_user("max", roles=["management"])
    incident = incidents.open_incident(
        actor=olga, title="Fee storm <b>", severity=2, playbook="fee-dispute-en"
    )
    return {
        "olga": olga,
        "lena": lena,
        "max": max_,
        "incident": incident,
        "oh": token_for(olga),
        "mh": token_for(max_),
        "lh": token_for(lena),
    }


def test_close_needs_a_summary_then_works(client, setup):
    url = f"/api/v1/incidents/{setup['incident'].id}"
    for status in ("monitoring", "resolved"):
        assert client.patch(url, json={"status": status}, headers=setup["oh"]).status_code == 200
    refused = client.patch(url, json={"status": "closed"}, headers=setup["oh"])
    assert refused.status_code == 409 and refused.json["error"]["reason"] == "needs_postmortem"
    put = client.put(
        f"{url}/postmortem",
        json={
            "summary": "Handled in an hour.",
            "lessons": "Faster legal.",
            "actions": [{"text": "Template for refunds", "owner": "Legal", "due": "2026-12-15"}],
        },
        headers=setup["mh"],
    )
    assert put.status_code == 200 and put.json["actions"][0]["due"] == "2026-12-15"
    assert (
        client.patch(url, json={"status": "closed"}, headers=setup["oh"]).json["status"] == "closed"
    )


def test_who_may_edit(client, setup):
    url = f"/api/v1/incidents/{setup['incident'].id}/postmortem"
    assert client.put(url, json={"summary": "x"}, headers=setup["lh"]).status_code == 403
    assert (
        client.put(url, json={"summary": "lead may"}, headers=setup["oh"]).status_code == 200
    )  # olga leads
    assert client.get(url, headers=setup["lh"]).status_code == 200  # everyone with a role reads


@pytest.mark.parametrize(
    "body,field",
    [
        ({"actions": [{"text": ""}]}, "actions.0.text"),
        ({"actions": [{"text": "x", "due": "tomorrow"}]}, "actions.0.due"),
        ({"actions": [{"text": "x", "status": "maybe"}]}, "actions.0.status"),
        ({"actions": "x"}, "actions"),
        ({"summary": 5}, "summary"),
        ({"verdict": "x"}, "verdict"),
    ],
)
def test_bad_postmortem_input_is_422(client, setup, body, field):
    response = client.put(
        f"/api/v1/incidents/{setup['incident'].id}/postmortem", json=body, headers=setup["mh"]
    )
    assert response.status_code == 422 and response.json["error"]["field"] == field


def test_exports_are_stable_and_escape_user_text(client, setup):
    incident = setup["incident"]
    service.update_postmortem(
        incident.id,
        actor=setup["max"],
        summary="<script>alert(1)</script> [x](javascript:y)",
        lessons="*bold* lesson",
    )
    draft = responses.draft_response(
        incident.id, actor=setup["olga"], channel="facebook", body="We refund <fees>."
    )
    responses.submit_response(draft.id, actor=setup["olga"])
    responses.approve_response(draft.id, actor=setup["lena"])
    responses.publish_response(draft.id, actor=setup["olga"])
    first = client.get(f"/api/v1/incidents/{incident.id}/postmortem.md", headers=setup["mh"]).data
    second = client.get(f"/api/v1/incidents/{incident.id}/postmortem.md", headers=setup["mh"]).data
    assert first == second
    text_ = first.decode()
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text_ and "\\[x\\]\\(javascript:y\\)" in text_
    assert "> We refund \\<fees\\>." in text_
    login(client, "max")
    events_one = client.get(f"/incidents/{incident.id}/events.json").data
    assert events_one == client.get(f"/incidents/{incident.id}/events.json").data
    exported = json.loads(events_one)["events"]
    assert [e["kind"] for e in exported][:1] == ["incident_opened"] and all(
        len(e["hash"]) == 64 for e in exported
    )
    page = client.get(f"/incidents/{incident.id}/postmortem").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<svg" in page and "Fee storm &lt;b&gt;" in page


def test_exported_hashes_can_be_recomputed_outside_the_app(client, setup):
    import hashlib

    login(client, "max")
    exported = json.loads(client.get(f"/incidents/{setup['incident'].id}/events.json").data)[
        "events"
    ]
    for event in exported:
        body = json.dumps(
            {
                "seq": event["seq"],
                "at": event["at"],
                "kind": event["kind"],
                "incident_id": event["incident_id"],
                "actor": event["actor"],
                "data": event["data"],
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert hashlib.sha256((event["prev_hash"] + body).encode()).hexdigest() == event["hash"]


def test_dashboard_for_management_only(client, setup):
    login(client, "olga")
    assert client.get("/dashboard").status_code == 403
    client.post("/logout")
    login(client, "max")
    page = client.get("/dashboard?period=12m&playbook=fee-dispute-en").get_data(as_text=True)
    assert setup["incident"].ref in page and "Not verified yet." in page
    client.post("/audit/verify")
    assert "chain intact" in client.get("/dashboard").get_data(as_text=True)


def test_tampering_is_named_by_the_api_and_the_cli(client, setup, runner):
    from ..timeline.test_chain import tamper

    assert client.get("/api/v1/audit/verify", headers=setup["mh"]).json["ok"]
    assert client.get("/api/v1/audit/verify", headers=setup["oh"]).status_code == 403
    tamper("UPDATE timeline_event SET data = :data WHERE seq = 2", data='{"forged":true}')
    report = client.get("/api/v1/audit/verify", headers=setup["mh"]).json
    assert report["ok"] is False and report["first_bad_event"] == 2
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "event 2" in result.output
    assert db.session.execute(text("SELECT count(*) FROM audit_run WHERE ok = false")).scalar() == 2


def test_long_story_is_paged_and_metrics_ignore_notes(client, setup):
    incident = setup["incident"]
    # the opening's own events come first: the opening and the step the opener took on with it
    opening = [e.kind for e in service.metric_events(incident)]
    assert opening == ["incident_opened", "escalation_acknowledged"]
    before_notes = db.session.scalar(
        select(func.count())
        .select_from(TimelineEvent)
        .where(TimelineEvent.incident_id == incident.id)
    )
    notes = STORY_PAGE + 5
    for number in range(notes):
        entries.add_note(incident.id, f"note {number:03d}", actor=setup["olga"])
    login(client, "max")
    first = client.get(f"/incidents/{incident.id}/postmortem").get_data(as_text=True)
    assert first.count('class="list-group-item event ') == STORY_PAGE and "Later entries" in first
    last_shown = STORY_PAGE - before_notes - 1  # notes count from 0, after the opening's events
    assert f"note {last_shown:03d}" in first and f"note {last_shown + 1:03d}" not in first
    after = first.split("after=")[1].split("#")[0]
    rest = client.get(f"/incidents/{incident.id}/postmortem?after={after}").get_data(as_text=True)
    assert f"note {notes - 1:03d}" in rest and "Later entries" not in rest
    assert [e.kind for e in service.metric_events(incident)] == opening
