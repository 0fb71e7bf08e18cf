"""Word diffs: only the changed words are marked; a verbatim statement differs in nothing."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.extensions import db
from crisisdesk.library import service as library
from crisisdesk.responses import queries, service
from crisisdesk.responses.models import Response

from ..conftest import login
from .conftest import SOCIAL, VALUES

PHISHING = "phishing-warning-en"
PHISHING_VALUES = {
    "lure_channel": "email",
    "lure_topic": "an alleged security check",
    "report_address": "phishing@bank.example",
}


def test_only_the_changed_words_of_a_changed_sentence_are_marked():
    old = "We are aware of it and working hard on a fix. Next update by 14:30."
    new = "We know about it and working hard on a fix. Next update by 15:00."
    segments = queries.diff_words(old, new)
    changed = [(op, text) for op, text in segments if op != "equal"]
    assert changed == [
        ("delete", "are aware of"),
        ("insert", "know about"),
        ("delete", "14"),
        ("insert", "15"),
        ("delete", "30"),
        ("insert", "00"),
    ]
    assert ("equal", " it and working hard on a fix. Next update by ") in segments


def test_inserted_and_deleted_words_keep_their_spacing_and_lines():
    segments = queries.diff_words("Call us.\n\nBye.", "Call us today.\n\nBye.")
    assert segments == [("equal", "Call us"), ("insert", " today"), ("equal", ".\n\nBye.")]
    assert queries.diff_words("a b c", "a c") == [("equal", "a "), ("delete", "b "), ("equal", "c")]


def test_the_same_text_has_no_changes():
    text = "Right now: outage.\n\n• item"
    assert queries.diff_words(text, text) == [("equal", text)]
    assert queries.changed_words(text, text) == []
    assert queries.changed_words("", "") == []
    assert queries.changed_words(text, text + "!") != []


WORDS = st.lists(
    st.sampled_from(["we", "know", "the", "outage", ".", ",", " ", "  ", "\n", "\n\n", "Ü", "1"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(old=WORDS | st.text(max_size=60), new=WORDS | st.text(max_size=60))
def test_segments_give_back_both_texts(old, new):
    segments = queries.diff_words(old, new)
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new
    assert all(op in ("equal", "insert", "delete") and text for op, text in segments)
    assert all(a[0] != b[0] for a, b in zip(segments, segments[1:], strict=False))  # merged
    assert "".join(queries.tokens(old)) == old


@pytest.fixture
def oh(olga, token_for):
    return token_for(olga)


@pytest.fixture
def draft(api, incident, oh):
    def post(**payload):
        reply = api("post", f"/incidents/{incident.id}/responses", oh, json=payload)
        assert reply.status_code == 201, reply.json
        return reply.json

    return post


def _diff_section(page: str) -> str | None:
    match = re.search(r'<section aria-labelledby="diff-h".*?</section>', page, re.S)
    return match.group(0) if match else None


@pytest.mark.parametrize(
    "slug, values, channel",
    [
        (PHISHING, PHISHING_VALUES, "facebook"),
        (PHISHING, PHISHING_VALUES, "website"),
        (SOCIAL, VALUES, "x"),
    ],
)
def test_a_verbatim_statement_shows_no_diff(client, draft, lena, slug, values, channel):
    response = draft(channel=channel, statement=slug, values=values)
    db.session.rollback()
    kind, base = queries.baseline(db.session.get(Response, response["id"]), 1)
    assert (kind, base) == ("statement", response["body"])
    login(client, "olga")
    page = client.get(f"/responses/{response['id']}").get_data(as_text=True)
    assert response["body"].split("\n")[0].replace("'", "&#39;") in page
    assert _diff_section(page) is None and "<ins>" not in page and "<del>" not in page


def test_an_edited_statement_marks_only_the_changed_words_on_its_page(client, draft):
    original = draft(channel="facebook", statement=PHISHING, values=PHISHING_VALUES)["body"]
    edited = original.replace("fraudsters are currently", "criminals are right now")
    response = draft(channel="facebook", statement=PHISHING, values=PHISHING_VALUES, body=edited)
    login(client, "olga")
    section = _diff_section(client.get(f"/responses/{response['id']}").get_data(as_text=True))
    assert section is not None and "Changes against the statement text" in section
    insertions = re.findall(r"<ins>(.*?)</ins>", section, re.S)
    deletions = re.findall(r"<del>(.*?)</del>", section, re.S)
    assert [re.sub(r"<span.*?</span>", "", text) for text in insertions] == [
        "criminals",
        "right now",
    ]
    assert [re.sub(r"<span.*?</span>", "", text) for text in deletions] == [
        "fraudsters",
        "currently",
    ]
    assert all('<span class="visually-hidden">inserted: </span>' in text for text in insertions)
    assert all('<span class="visually-hidden">deleted: </span>' in text for text in deletions)
    assert "Please do not click any links" in section  # the unchanged rest, unmarked


def test_a_revision_is_compared_word_by_word_with_the_previous_one(client, draft, olga):
    response = draft(channel="x", body="We are aware of the outage.")
    service.revise_response(response["id"], "We are aware of the long outage.", actor=olga)
    login(client, "olga")
    section = _diff_section(client.get(f"/responses/{response['id']}").get_data(as_text=True))
    assert "Changes against the previous revision" in section
    assert re.findall(r"<ins>.*?</span>(.*?)<span", section) == ["long "]
    assert "<del>" not in section


def test_a_free_text_has_no_diff(client, draft):
    response = draft(channel="x", body="We are aware of the outage.")
    login(client, "olga")
    assert _diff_section(client.get(f"/responses/{response['id']}").get_data(as_text=True)) is None


def test_a_changed_statement_file_shows_what_changed_since_the_draft(client, content, draft, lena):
    library.approve_statement(SOCIAL, actor=lena, free_placeholders=["issue", "help_place"])
    response = draft(channel="x", statement=SOCIAL, values=VALUES)
    content.edit("statements/holding-social.en.md", "we are aware of it", "we know about it")
    login(client, "olga")
    # the baseline is the version the response came from, so the response still matches it
    assert _diff_section(client.get(f"/responses/{response['id']}").get_data(as_text=True)) is None
