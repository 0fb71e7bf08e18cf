"""Drafting a response: a verbatim approved statement is pre-approved, anything else is a draft."""

from datetime import date

import pytest

from crisisdesk.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents.roles import assign_role
from crisisdesk.library import service as library

from .conftest import SOCIAL, VALUES, events, response_count, response_events, sha

FREE = "We know about the disruption and are working on it."


@pytest.fixture
def headers(olga, token_for):
    return token_for(olga)


@pytest.fixture
def draft(api, incident, headers):
    """draft(**payload) → POST /incidents/{id}/responses as olga."""

    def post(**payload):
        return api("post", f"/incidents/{incident.id}/responses", headers, json=payload)

    return post


def test_verbatim_approved_statement_is_preapproved(draft, approved):
    reply = draft(channel="x", statement=SOCIAL, values=VALUES)
    assert reply.status_code == 201
    body = reply.json["body"]
    assert reply.json["status"] == "preapproved" and reply.json["revision"] == 1
    assert "disruption in online banking" in body and "14:30" in body and "{{" not in body
    assert (reply.json["statement"], reply.json["author"]) == (SOCIAL, "olga")
    assert reply.json["statement_version"] == library.get_statement(SOCIAL).sha256


def test_drafting_appends_one_event_with_the_body_hash(draft, approved):
    reply = draft(channel="facebook", statement=SOCIAL, values=VALUES)
    db.session.rollback()
    recorded = response_events(reply.json["id"])
    assert [kind for kind, _data in recorded] == ["response_drafted"]
    data = recorded[0][1]
    assert data["revision_hash"] == sha(reply.json["body"]) == reply.json["revision_hash"]
    assert (data["revision"], data["status"], data["channel"]) == (1, "preapproved", "facebook")


def test_unapproved_statement_gives_a_draft(draft):
    reply = draft(channel="x", statement=SOCIAL, values=VALUES)
    assert reply.status_code == 201 and reply.json["status"] == "draft"
    assert reply.json["approved_revision"] is None


def test_expired_approval_gives_a_draft(draft, lena, clock):
    library.approve_statement(
        SOCIAL, actor=lena, review_by=date(2026, 12, 1), free_placeholders=["issue", "help_place"]
    )
    clock.advance(days=3)
    reply = draft(channel="x", statement=SOCIAL, values=VALUES)
    assert reply.status_code == 201 and (reply.json["status"], reply.json["draft_reason"]) == (
        "draft",
        "expired",
    )


def test_edited_body_gives_a_draft_with_that_body(draft, approved):
    edited = "Right now: online banking is down. We are on it. Next update by 14:30."
    reply = draft(channel="x", statement=SOCIAL, values=VALUES, body=edited)
    assert reply.status_code == 201
    assert (reply.json["status"], reply.json["body"], reply.json["statement"]) == (
        "draft",
        edited,
        SOCIAL,
    )


def test_free_text_is_a_draft(draft):
    reply = draft(channel="x", body=FREE)
    assert reply.status_code == 201
    assert (reply.json["status"], reply.json["body"], reply.json["statement"]) == (
        "draft",
        FREE,
        None,
    )


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"channel": "sms", "statement": SOCIAL, "values": VALUES}, 422, "channel"),
        (
            {
                "channel": "x",
                "statement": SOCIAL,
                "values": {"issue": "outage", "help_place": "here"},
            },
            422,
            "values.next_update",
        ),
        (
            {"channel": "x", "statement": SOCIAL, "values": {**VALUES, "next_update": "25:99"}},
            422,
            "values.next_update",
        ),
        (
            {"channel": "x", "statement": SOCIAL, "values": {**VALUES, "cause": "DDoS"}},
            422,
            "values.cause",
        ),
        (
            {"channel": "x", "statement": SOCIAL, "values": {**VALUES, "issue": "x" * 51}},
            422,
            "values.issue",
        ),
        ({"channel": "x", "statement": "no-such-statement", "values": VALUES}, 404, "statement"),
        ({"channel": "pigeon", "body": FREE}, 422, "channel"),
        ({"channel": "x"}, 422, "body"),
    ],
    ids=[
        "wrong-channel",
        "missing",
        "bad-time",
        "unknown-placeholder",
        "issue-too-long",
        "unknown-statement",
        "unknown-channel",
        "no-text",
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_written(draft, approved, payload, status, field):
    reply = draft(**payload)
    assert reply.status_code == status
    assert reply.json["error"]["field"] == field
    db.session.rollback()
    assert response_count() == 0 and events("response_drafted") == []


def test_sms_free_text_over_160_characters_is_refused(draft):
    reply = draft(channel="sms", body="a" * 161)
    assert reply.status_code == 422
    assert reply.json["error"]["field"] == "body" and "160" in reply.json["error"]["message"]
    db.session.rollback()
    assert response_count() == 0


def test_sms_free_text_of_160_characters_is_fine(draft):
    assert draft(channel="sms", body="a" * 160).status_code == 201


def test_sms_statement_fills_and_is_preapproved_when_approved(draft, lena):
    library.approve_statement("sms-outage-en", actor=lena)
    reply = draft(
        channel="sms",
        statement="sms-outage-en",
        values={"affected": "to card payments", "since": "08:15"},
    )
    assert reply.status_code == 201 and reply.json["status"] == "preapproved"
    assert reply.json["body"].startswith("Volksbank Musterstadt eG: Disruption to card payments")
    assert "since 08:15" in reply.json["body"]


def test_markup_in_body_is_stored_exactly_as_typed(api, draft, headers):
    text = '<script>alert("x")</script> We are <b>on it</b> & working.'
    reply = draft(channel="x", body=text)
    assert reply.json["body"] == text
    assert api("get", f"/responses/{reply.json['id']}", headers).json["body"] == text


def test_markup_in_values_is_stored_exactly_as_typed(draft, approved):
    issue = "<script>alert(1)</script>"
    reply = draft(channel="x", statement=SOCIAL, values={**VALUES, "issue": issue})
    assert reply.status_code == 201
    assert reply.json["body"].startswith(f"{issue}: we are aware of it")


def test_values_are_inserted_once_never_expanded_again(draft, approved):
    reply = draft(channel="x", statement=SOCIAL, values={**VALUES, "issue": "{{ next_update }}"})
    assert reply.json["body"].startswith("{{ next_update }}: we are aware of it")


def test_corrects_must_be_a_response_id_not_a_boolean(draft):
    reply = draft(channel="x", body=FREE, corrects=True)
    assert reply.status_code == 422 and reply.json["error"]["field"] == "corrects"


def test_legal_only_user_may_not_draft(api, incident, make_user, token_for):
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        token_for(make_user("leo", roles=["legal"])),
        json={"channel": "x", "body": FREE},
    )
    assert reply.status_code == 403
    db.session.rollback()
    assert response_count() == 0


def test_management_user_without_incident_role_may_not_draft(api, incident, make_user, token_for):
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        token_for(make_user("max", roles=["management"])),
        json={"channel": "x", "body": FREE},
    )
    assert reply.status_code == 403


def test_management_user_cannot_become_spokesperson_to_draft(
    api, incident, olga, make_user, token_for
):
    max_ = make_user("max", roles=["management"])
    with pytest.raises(Invalid) as refused:
        assign_role(incident.id, "spokesperson", "max", actor=olga)
    assert refused.value.field == "user"
    reply = api(
        "post",
        f"/incidents/{incident.id}/responses",
        token_for(max_),
        json={"channel": "x", "body": FREE},
    )
    assert reply.status_code == 403


def test_unknown_incident_is_404(api, headers, olga):
    reply = api("post", "/incidents/999/responses", headers, json={"channel": "x", "body": FREE})
    assert reply.status_code == 404


@pytest.mark.parametrize("text", ["x" * 20_001, "x" * 20_000 + " ", "\U0001f600" * 20_001])
def test_no_channel_takes_more_than_the_desks_ceiling(draft, api, headers, text):
    """Facebook allows 63,206 characters, the desk
    (and its API description) 20,000, counted as sent.
    """
    response = draft(channel="facebook", body=text)
    assert response.status_code == 422 and response.json["error"]["field"] == "body"
    created = draft(channel="facebook", body="x" * 20_000)
    assert created.status_code == 201
    revised = api("patch", f"/responses/{created.json['id']}", headers, json={"body": text})
    assert revised.status_code == 422 and revised.json["error"]["field"] == "body"
