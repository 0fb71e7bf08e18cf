"""Every response names its audience, and its channel must reach that audience."""

import pytest

from crisisdesk.extensions import db

from .conftest import SOCIAL, VALUES, response_events

FREE = "We know about the disruption and are working on it."


@pytest.fixture
def draft(api, incident, oh):
    """draft(**payload) → POST /incidents/{id}/responses as the lead."""

    def post(**payload):
        return api("post", f"/incidents/{incident.id}/responses", oh, json=payload)

    return post


@pytest.mark.parametrize(
    ("channel", "audience"),
    [("x", "public"), ("intranet", "staff"), ("service_script", "service_centre"),
     ("app_push", "customers"), ("letter", "customers")],
)  # fmt: skip
def test_free_text_without_an_audience_takes_the_channels_first(draft, channel, audience):
    reply = draft(channel=channel, body=FREE)
    assert reply.status_code == 201, reply.json
    assert reply.json["audience"] == audience


def test_the_audience_is_kept_and_recorded_in_the_event(draft):
    reply = draft(channel="staff_email", audience="branches", body=FREE)
    assert reply.status_code == 201, reply.json
    db.session.rollback()
    [(_kind, data)] = response_events(reply.json["id"])
    assert (data["channel"], data["audience"]) == ("staff_email", "branches")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"channel": "intranet", "audience": "customers"}, "channel_audience"),
        ({"channel": "x", "audience": "staff"}, "channel_audience"),
        ({"channel": "x", "audience": "everyone"}, "bad_audience"),
        ({"channel": "x", "audience": 7}, "bad_audience"),
    ],
)
def test_a_channel_that_does_not_reach_the_audience_is_refused(draft, payload, code):
    reply = draft(body=FREE, **payload)
    assert reply.status_code == 422
    assert (reply.json["error"]["reason"], reply.json["error"]["field"]) == (code, "audience")


def test_a_statement_is_for_the_audience_it_was_written_for(draft, approved):
    assert draft(channel="x", statement=SOCIAL, values=VALUES).json["audience"] == "public"
    reply = draft(channel="x", statement=SOCIAL, values=VALUES, audience="press")
    assert reply.status_code == 422 and reply.json["error"]["reason"] == "wrong_audience"
    assert "Public" in reply.json["error"]["message"]


def test_the_new_channels_keep_their_length_rule(draft):
    reply = draft(channel="threads", body="x" * 501)
    assert reply.status_code == 422 and reply.json["error"]["reason"] == "too_long"
    assert "500" in reply.json["error"]["message"]
    assert draft(channel="threads", body="x" * 500).status_code == 201


def test_the_form_asks_for_the_audience_of_a_free_text_and_names_a_wrong_pair(
    client, olga, incident
):
    from ..conftest import login

    login(client, "olga")
    page = client.get(f"/incidents/{incident.id}/responses/new?free=1")
    assert b'name="audience"' in page.data and b"Service centre" in page.data
    refused = client.post(
        f"/incidents/{incident.id}/responses/new?free=1",
        data={"audience": "customers", "channel": "intranet", "body": FREE},
    )
    assert refused.status_code == 422
    assert b"Intranet does not reach All customers." in refused.data
    taken = client.post(
        f"/incidents/{incident.id}/responses/new?free=1",
        data={"audience": "service_centre", "channel": "service_script", "body": FREE},
    )
    assert taken.status_code == 302
    shown = client.get(taken.headers["Location"])
    assert b"For: Service centre" in shown.data


def test_an_html_e_mail_offers_its_sanitised_html_to_copy(client, olga, incident, draft):
    from ..conftest import login

    body = "**Dear members,** our branches open at 9.\n\n<script>alert(1)</script>"
    reply = draft(channel="newsletter", audience="members", body=body)
    assert reply.status_code == 201, reply.json
    login(client, "olga")
    page = client.get(f"/responses/{reply.json['id']}").get_data(as_text=True)
    html = page.split('id="response-html">', 1)[1].split("</pre>", 1)[0]
    assert "&lt;strong&gt;Dear members,&lt;/strong&gt;" in html  # shown as source, to copy
    assert "script" not in html
    assert "Copy the HTML" in page
    plain = draft(channel="intranet", body=body).json["id"]
    assert 'id="response-html"' not in client.get(f"/responses/{plain}").get_data(as_text=True)
