"""A response stores the text exactly as its platform shows it: that text is approved, hashed,
shown in "what we said", exported and returned by the API; limits count it the platform's way.
"""

import pytest

from crisisdesk.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.library import service as library
from crisisdesk.library.preview import preview
from crisisdesk.responses import service
from crisisdesk.responses.compose import compose

from ..conftest import login
from .conftest import response_events, sha

PHISHING = "phishing-warning-en"
PHISHING_VALUES = {
    "lure_channel": "email",
    "lure_topic": "an alleged *security* check <b>now</b>",
    "report_address": "phishing@bank.example",
}


@pytest.fixture
def oh(olga, token_for):
    return token_for(olga)


@pytest.fixture
def phishing_approved(lena, clock):
    return library.approve_statement(
        PHISHING, actor=lena, free_placeholders=["lure_topic", "report_address"]
    )


@pytest.fixture
def draft(api, incident, oh):
    def post(**payload):
        return api("post", f"/incidents/{incident.id}/responses", oh, json=payload)

    return post


def test_compose_for_facebook_gives_the_posted_text(app):
    composed = compose("facebook", statement_slug=PHISHING, values=PHISHING_VALUES)
    assert "**" not in composed.body
    assert composed.body.startswith(
        "Warning, fraud attempts: fraudsters are currently contacting people by email"
    )
    # what the person typed stays exactly as typed
    assert "The scam is about an alleged *security* check <b>now</b>.\n\n" in composed.body
    assert "You can forward suspicious messages to phishing@bank.example." in composed.body


def test_compose_for_the_website_keeps_the_markdown_document(app):
    composed = compose("website", statement_slug=PHISHING, values=PHISHING_VALUES)
    assert composed.body.startswith("**Warning, fraud attempts:**")
    assert "an alleged \\*security\\* check &lt;b&gt;now&lt;/b&gt;" in composed.body


def test_the_posted_text_is_stored_hashed_and_returned_by_the_api(
    api, draft, oh, phishing_approved
):
    expected = compose("facebook", statement_slug=PHISHING, values=PHISHING_VALUES).body
    reply = draft(channel="facebook", statement=PHISHING, values=PHISHING_VALUES)
    assert reply.status_code == 201 and reply.json["status"] == "preapproved"
    assert reply.json["body"] == expected and "**" not in expected
    assert reply.json["revision_hash"] == sha(expected)
    full = api("get", f"/responses/{reply.json['id']}", oh).json
    assert full["body"] == expected and full["revisions"][0]["body"] == expected
    listed = api("get", f"/incidents/{reply.json['incident_id']}/responses", oh).json["items"]
    assert [item["body"] for item in listed] == [expected]
    db.session.rollback()
    assert response_events(reply.json["id"])[0][1]["revision_hash"] == sha(expected)


def test_what_we_said_shows_the_posted_text(client, draft, olga, phishing_approved, clock):
    reply = draft(channel="facebook", statement=PHISHING, values=PHISHING_VALUES)
    service.publish_response(reply.json["id"], actor=olga)
    login(client, "olga")
    page = client.get(f"/incidents/{reply.json['incident_id']}/said").get_data(as_text=True)
    assert "Warning, fraud attempts: fraudsters" in page and "**Warning" not in page
    assert "an alleged *security* check &lt;b&gt;now&lt;/b&gt;." in page


def test_free_and_edited_texts_are_stored_as_typed(draft, phishing_approved):
    typed = "**Careful:** see [our site](https://bank.example/x)."
    free = draft(channel="facebook", body=typed)
    edited = draft(channel="facebook", statement=PHISHING, values=PHISHING_VALUES, body=typed)
    assert free.json["body"] == typed and edited.json["body"] == typed
    assert edited.json["status"] == "draft"


#: 240 characters of text and two short links: 254 characters, but 288 as X counts them
TWO_SHORT_LINKS = "a" * 240 + " b.io/x c.io/y"
#: a long address: 522 characters, but 224 as X counts it
LONG_LINK = "a" * 200 + " https://bank.example/" + "p" * 300


def test_x_refuses_short_links_that_count_as_23_and_facebook_takes_the_same_text(draft):
    refused = draft(channel="x", body=TWO_SHORT_LINKS)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "body"
    message = refused.json["error"]["message"]
    assert "280" in message and "288" in message and "23" in message
    accepted = draft(channel="facebook", body=TWO_SHORT_LINKS)
    assert accepted.status_code == 201 and accepted.json["body"] == TWO_SHORT_LINKS


def test_x_takes_a_long_link_that_counts_as_23_and_sms_counts_every_character(draft):
    assert len(LONG_LINK) == 522
    accepted = draft(channel="x", body=LONG_LINK)
    assert accepted.status_code == 201 and accepted.json["body"] == LONG_LINK
    refused = draft(channel="sms", body=LONG_LINK)
    assert refused.status_code == 422
    assert "160" in refused.json["error"]["message"] and "522" in refused.json["error"]["message"]


def test_revising_on_x_counts_links_the_same_way(draft, olga):
    response_id = draft(channel="x", body="Short first text.").json["id"]
    with pytest.raises(Invalid) as caught:
        service.revise_response(response_id, TWO_SHORT_LINKS, actor=olga)
    assert "288" in caught.value.message
    assert service.revise_response(response_id, LONG_LINK, actor=olga).current.body == LONG_LINK


def test_preview_shows_the_posted_text_and_counts_the_platform_way(app):
    statement = library.get_statement(PHISHING)
    previews = {item.channel: item for item in preview(statement, PHISHING_VALUES)}
    facebook, website = previews["facebook"], previews["website"]
    assert facebook.html is None and facebook.text.startswith("Warning, fraud attempts:")
    assert (
        facebook.text == compose("facebook", statement_slug=PHISHING, values=PHISHING_VALUES).body
    )
    assert facebook.length == len(facebook.text)
    assert website.text.startswith("**Warning") and "<strong>" in website.html
    handle = library.get_statement("impersonation-warning-en")
    values = {"fake_handle": "bank-help.example/support", "platform": "X"}
    on_x = next(item for item in preview(handle, values) if item.channel == "x")
    assert "bank-help.example/support" in on_x.text
    assert on_x.length == len(on_x.text) - len("bank-help.example/support") + 23


def test_statement_page_preview_has_no_markdown_on_plain_channels(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    page = client.get(
        f"/library/statements/{PHISHING}",
        query_string={**PHISHING_VALUES, "lure_topic": "a fake check"},
    ).get_data(as_text=True)
    assert "Warning, fraud attempts: fraudsters" in page  # the Facebook post, as text
    assert "<strong>Warning, fraud attempts:</strong>" in page  # the website, rendered
    assert "**Warning" not in page
