"""A value typed into a text placeholder goes to legal unless legal marked that placeholder free."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.library import service as library
from crisisdesk.library.free import held_back
from crisisdesk.library.placeholders import Placeholder

from ..conftest import login
from .conftest import SOCIAL, VALUES, response_events

BRANCHES = ["Marktplatz", "Bahnhofstraße"]
BRANCH = "branch-closure-reply-en"
BRANCH_VALUES = {
    "branch_name": "Marktplatz",
    "closure_date": "2027-03-31",
    "alternatives": "The ATM stays.",
    "info_url": "https://bank.example/marktplatz",
}


@pytest.fixture
def draft(api, incident, olga, token_for):
    """draft(channel=…, statement=…, values=…) → the 201 answer's JSON."""
    headers = token_for(olga)

    def post(**payload):
        reply = api("post", f"/incidents/{incident.id}/responses", headers, json=payload)
        assert reply.status_code == 201, reply.json
        return reply.json

    return post


def test_a_text_value_legal_did_not_free_makes_a_draft(draft, lena, clock):
    library.approve_statement(SOCIAL, actor=lena, free_placeholders=["help_place"])
    reply = draft(
        channel="x", statement=SOCIAL, values={**VALUES, "issue": "our fault, we pay all damages"}
    )
    assert (reply["status"], reply["approved_revision"]) == ("draft", None)
    assert reply["draft_reason"] == "not_free"
    assert reply["draft_message"] == "Your text in ‘What it is about’ goes to legal."
    db.session.rollback()
    assert response_events(reply["id"])[0][1]["draft_reason"] == "not_free"


def test_a_free_text_placeholder_keeps_the_response_preapproved(draft, approved):
    reply = draft(channel="x", statement=SOCIAL, values=VALUES)
    assert (reply["status"], reply["draft_reason"], reply["draft_message"]) == (
        "preapproved",
        None,
        None,
    )


@pytest.mark.parametrize(
    "value, status",
    [
        ("Marktplatz", "preapproved"),
        ("Bahnhofstraße", "preapproved"),
        ("Marktplatz, sadly our fault", "draft"),
        ("marktplatz", "draft"),
    ],
)
def test_allowed_values_let_only_those_values_through(draft, lena, clock, value, status):
    library.approve_statement(
        BRANCH,
        actor=lena,
        free_placeholders=[{"name": "branch_name", "values": BRANCHES}, "alternatives"],
    )
    reply = draft(
        channel="facebook", statement=BRANCH, values={**BRANCH_VALUES, "branch_name": value}
    )
    assert reply["status"] == status
    if status == "draft":
        assert reply["draft_message"] == "Your text in ‘Branch’ goes to legal."


@pytest.mark.parametrize(
    "value, status",
    [
        ("Filiale Nord", "preapproved"),
        ("Filiale Süd", "preapproved"),
        ("Filiale Nord, we pay all damages", "draft"),
        ("Nord", "draft"),
    ],
)
def test_a_pattern_must_match_the_whole_value(draft, lena, clock, value, status):
    library.approve_statement(
        BRANCH,
        actor=lena,
        free_placeholders=[
            {"name": "branch_name", "pattern": r"Filiale (Nord|Süd)"},
            "alternatives",
        ],
    )
    assert (
        draft(channel="facebook", statement=BRANCH, values={**BRANCH_VALUES, "branch_name": value})[
            "status"
        ]
        == status
    )


def test_every_held_placeholder_is_named(draft, lena, clock):
    library.approve_statement(BRANCH, actor=lena)
    reply = draft(channel="facebook", statement=BRANCH, values=BRANCH_VALUES)
    assert reply["draft_message"] == "Your text in ‘Branch’, ‘Alternatives’ goes to legal."


def test_other_drafts_say_why(draft, lena, clock):
    unapproved = draft(channel="x", statement=SOCIAL, values=VALUES)
    assert (unapproved["status"], unapproved["draft_reason"]) == ("draft", "unapproved")
    library.approve_statement(SOCIAL, actor=lena, free_placeholders=["issue", "help_place"])
    edited = draft(
        channel="x", statement=SOCIAL, values=VALUES, body="Right now: a disruption. We are on it."
    )
    assert (edited["status"], edited["draft_reason"]) == ("draft", "edited")
    free = draft(channel="x", body="We are on it.")
    assert (free["status"], free["draft_reason"]) == ("draft", "free_text")


def test_the_drafting_form_says_why_the_response_went_to_legal(client, incident, olga, lena, clock):
    library.approve_statement(SOCIAL, actor=lena, free_placeholders=["help_place"])
    login(client, "olga")
    form = client.get(f"/incidents/{incident.id}/responses/new?statement={SOCIAL}").get_data(
        as_text=True
    )
    # named by its label
    assert "A value you type into ‘What it is about’ sends this response to legal." in form
    reply = client.post(
        f"/incidents/{incident.id}/responses/new?statement={SOCIAL}",
        data={"channel": "x", **VALUES},
        follow_redirects=True,
    )
    page = reply.get_data(as_text=True)
    assert "Your text in ‘What it is about’ goes to legal." in page and ">Send to legal<" in page


def test_only_non_empty_text_values_are_held():
    placeholders = [
        Placeholder("issue", "text", required=False),
        Placeholder("at", "time"),
        Placeholder("kind", "choice", options=("a", "b")),
        Placeholder("branch", "text"),
    ]
    values = {"issue": "", "at": "14:30", "kind": "a", "branch": "Nord"}
    assert held_back(placeholders, values, {}) == ["branch"]
    assert held_back(placeholders, values, {"branch": {"pattern": None, "values": []}}) == []
    assert held_back(
        placeholders, {**values, "issue": "x"}, {"branch": {"pattern": "N.*", "values": []}}
    ) == ["issue"]
