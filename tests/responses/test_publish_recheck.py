"""Publishing a pre-approved text checks its statement
again: changed, expired or no longer free → draft.
"""

from datetime import date

import pytest

from crisisdesk.extensions import db
from crisisdesk.library import service as library
from crisisdesk.responses import service
from crisisdesk.responses.models import Response
from crisisdesk.timeline import verify_chain

from ..conftest import login
from .conftest import SOCIAL, VALUES, events, response_events, sha


@pytest.fixture
def oh(olga, token_for):
    return token_for(olga)


@pytest.fixture
def preapproved(api, incident, oh, lena, clock):
    """A pre-approved response from holding-social-en, approved (issue free) until 2026-12-01."""
    library.approve_statement(
        SOCIAL, actor=lena, review_by=date(2026, 12, 1), free_placeholders=["issue", "help_place"]
    )
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        oh,
        json={"channel": "x", "statement": SOCIAL, "values": VALUES},
    )
    assert reply.json["status"] == "preapproved"
    return reply.json


def publish(api, oh, response_id):
    return api("post", f"/responses/{response_id}/publish", oh, json={})


def lapses(response_id) -> list[dict]:
    db.session.rollback()
    return [
        data for kind, data in response_events(response_id) if kind == "response_approval_lapsed"
    ]


def assert_lapsed(api, oh, response: dict, reason: str, words: str):
    reply = publish(api, oh, response["id"])
    assert reply.status_code == 409
    assert (
        reply.json["error"]["reason"] == "approval_lapsed"
        and words in reply.json["error"]["message"]
    )
    assert "send the response to legal" in reply.json["error"]["message"]
    shown = api("get", f"/responses/{response['id']}", oh).json
    assert (shown["status"], shown["approved_revision"], shown["published_at"]) == (
        "draft",
        None,
        None,
    )
    assert lapses(response["id"]) == [
        {
            "response": response["id"],
            "channel": "x",
            "audience": "public",
            "revision": 1,
            "revision_hash": sha(response["body"]),
            "reason": reason,
        }
    ]
    assert events("response_published") == []
    assert verify_chain().ok


def test_publishing_after_the_approval_expired_drops_to_draft(api, oh, preapproved, clock):
    clock.advance(days=3)
    assert_lapsed(api, oh, preapproved, "expired", "expired")


def test_publishing_after_the_statement_file_changed_drops_to_draft(api, oh, content, preapproved):
    content.edit("statements/holding-social.en.md", "we are aware of it", "we know about it")
    assert_lapsed(api, oh, preapproved, "changed", "changed")


def test_publishing_after_legal_narrowed_the_free_placeholders_drops_to_draft(
    api, oh, preapproved, lena, clock
):
    clock.advance(days=3)
    library.approve_statement(
        SOCIAL, actor=lena, free_placeholders=[{"name": "issue", "values": ["outage"]}]
    )
    assert_lapsed(api, oh, preapproved, "not_free", "no longer free")


def test_a_lapsed_response_goes_to_legal_and_out_after_approval(
    api, oh, preapproved, clock, lena, token_for
):
    clock.advance(days=3)
    assert publish(api, oh, preapproved["id"]).status_code == 409
    assert (
        publish(api, oh, preapproved["id"]).status_code == 409
    )  # a draft now: nothing lapses twice
    assert len(lapses(preapproved["id"])) == 1
    assert (
        api("post", f"/responses/{preapproved['id']}/submit", oh).json["status"] == "pending_legal"
    )
    assert (
        api("post", f"/responses/{preapproved['id']}/approve", token_for(lena)).json["status"]
        == "approved"
    )
    assert publish(api, oh, preapproved["id"]).json["status"] == "published"


def test_a_response_still_within_its_approval_is_published(api, oh, preapproved, clock):
    clock.advance(days=2)  # 2026-12-01 is the last valid day
    assert publish(api, oh, preapproved["id"]).json["status"] == "published"
    assert lapses(preapproved["id"]) == []


def test_legal_approved_responses_are_not_rechecked(
    api, oh, incident, lena, token_for, clock, content
):
    library.approve_statement(SOCIAL, actor=lena, review_by=date(2026, 12, 1))
    drafted = api(
        "post",
        f"/incidents/{incident.id}/responses",
        oh,
        json={"channel": "x", "statement": SOCIAL, "values": VALUES},
    ).json
    assert drafted["status"] == "draft"  # issue is not free
    api("post", f"/responses/{drafted['id']}/submit", oh)
    assert (
        api("post", f"/responses/{drafted['id']}/approve", token_for(lena)).json["status"]
        == "approved"
    )
    clock.advance(days=3)
    content.edit("statements/holding-social.en.md", "we are aware of it", "we know about it")
    assert publish(api, oh, drafted["id"]).json["status"] == "published"


def test_the_publish_button_shows_why_the_approval_lapsed(client, olga, preapproved, clock):
    clock.advance(days=3)
    login(client, "olga")
    reply = client.post(f"/responses/{preapproved['id']}/publish", data={}, follow_redirects=True)
    page = reply.get_data(as_text=True)
    assert "The statement&#39;s approval has expired — send the response to legal." in page
    assert ">Send to legal<" in page
    db.session.rollback()
    assert db.session.get(Response, preapproved["id"]).status == "draft"
    assert len(lapses(preapproved["id"])) == 1


def test_service_commits_the_lapse_before_refusing(preapproved, olga, clock):
    from crisisdesk.errors import Conflict

    clock.advance(days=3)
    with pytest.raises(Conflict) as caught:
        service.publish_response(preapproved["id"], actor=olga)
    assert caught.value.reason == "approval_lapsed"
    db.session.rollback()  # what a failing request's teardown does: the lapse stays
    assert db.session.get(Response, preapproved["id"]).status == "draft"
    assert len(lapses(preapproved["id"])) == 1
