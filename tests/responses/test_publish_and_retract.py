"""Publishing, retracting and correcting a response through the API: only approved text goes out."""

import pytest

from crisisdesk.extensions import db

from .conftest import EDITED, FREE, SOCIAL, VALUES, response_count, response_events


@pytest.mark.parametrize("status", ["draft", "pending_legal", "rejected"])
def test_unapproved_response_cannot_be_published(flow, status):
    flow.to(status)
    db.session.rollback()
    before = [kind for kind, _data in response_events(flow.id)]
    assert flow.step("publish").status_code == 409
    assert flow.get().json["status"] == status
    db.session.rollback()
    assert [kind for kind, _data in response_events(flow.id)] == before


def test_approved_response_is_published_once(flow):
    flow.to("approved")
    reply = flow.step("publish", url="https://x.com/bank/status/1")
    assert reply.status_code == 200
    assert (reply.json["status"], reply.json["published_by"], reply.json["published_url"]) == (
        "published",
        "olga",
        "https://x.com/bank/status/1",
    )
    assert reply.json["published_at"] == "2026-11-29T09:00:00Z"
    assert flow.step("publish").status_code == 409


def test_preapproved_response_is_publishable_at_once(flow, approved):
    flow.draft(channel="x", statement=SOCIAL, values=VALUES)
    assert flow.step("publish").json["status"] == "published"


def test_publish_refuses_a_non_http_url(flow):
    flow.to("approved")
    reply = flow.step("publish", url="javascript:alert(1)")
    assert reply.status_code == 422 and reply.json["error"]["field"] == "url"
    assert flow.get().json["status"] == "approved"


def test_publish_refuses_a_future_time(flow):
    flow.to("approved")
    reply = flow.step("publish", published_at="2026-11-29T10:00:00Z")
    assert reply.status_code == 422 and reply.json["error"]["field"] == "published_at"


def test_publish_keeps_an_earlier_time(flow, clock):
    flow.to("approved")
    clock.advance(minutes=20)
    reply = flow.step("publish", published_at="2026-11-29T10:10:00+01:00")
    assert reply.json["published_at"] == "2026-11-29T09:10:00Z"


def test_publish_before_the_draft_existed_is_refused(flow):
    flow.to("approved")
    reply = flow.step("publish", published_at="2026-11-29T09:50:00+01:00")
    assert reply.status_code == 422 and reply.json["error"]["field"] == "published_at"


def test_published_response_cannot_be_edited(flow):
    flow.to("published")
    reply = flow.revise(EDITED)
    assert reply.status_code == 409
    assert (flow.get().json["revision"], flow.get().json["status"]) == (1, "published")


def test_retract_needs_a_reason(flow):
    flow.to("published")
    reply = flow.step("retract")
    assert reply.status_code == 422 and reply.json["error"]["field"] == "reason"


def test_retract_records_the_reason_and_an_event(flow):
    flow.to("published")
    reply = flow.step("retract", reason="Wrong branch named.")
    assert reply.status_code == 200 and reply.json["retract_reason"] == "Wrong branch named."
    assert reply.json["retracted_at"] == "2026-11-29T09:00:00Z"
    db.session.rollback()
    assert response_events(flow.id)[-1][0] == "response_retracted"
    assert flow.step("retract", reason="Again.").status_code == 409


def test_correction_points_at_the_published_response(flow, api, incident, oh):
    original = flow.to("published").id
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        oh,
        json={"channel": "x", "body": "Correction: " + FREE, "corrects": original},
    )
    assert reply.status_code == 201
    assert (reply.json["corrects"], reply.json["status"]) == (original, "draft") and reply.json[
        "id"
    ] != original


def test_only_a_published_response_can_be_corrected(flow, api, incident, oh):
    original = flow.to("approved").id
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        oh,
        json={"channel": "x", "body": "Correction: " + FREE, "corrects": original},
    )
    assert reply.status_code == 422 and reply.json["error"]["field"] == "corrects"
    db.session.rollback()
    assert response_count() == 1
