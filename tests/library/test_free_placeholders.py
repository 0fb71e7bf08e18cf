"""Legal names the free text placeholders when signing
off; the choice is checked, stored and recorded.
"""

import json

import pytest
from sqlalchemy import func, select

from crisisdesk.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.library import service
from crisisdesk.library.models import StatementApproval
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login

SLUG = "holding-social-en"
BRANCH = "branch-closure-reply-en"


@pytest.fixture
def lena(app, make_user):
    return make_user("lena", roles=["legal"])


def approvals() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(StatementApproval))


def approved_event() -> dict:
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "statement_approved")
    ).one()
    return decoded_data(event)


def test_the_rules_are_stored_on_the_approval_and_in_its_event(lena, clock):
    approval = service.approve_statement(
        BRANCH,
        actor=lena,
        free_placeholders=[
            {"name": "branch_name", "values": ["Marktplatz", " Bahnhofstraße ", "Marktplatz", ""]},
            {"name": "alternatives", "pattern": "The ATM (stays|moves)\\."},
        ],
    )
    rules = {
        "alternatives": {"pattern": "The ATM (stays|moves)\\.", "values": []},
        "branch_name": {"pattern": None, "values": ["Marktplatz", "Bahnhofstraße"]},
    }
    db.session.rollback()
    assert json.loads(db.session.get(StatementApproval, approval.id).free_placeholders) == rules
    assert approved_event()["free_placeholders"] == rules
    state = service.approval_state(service.get_statement(BRANCH))
    assert state.as_dict()["free_placeholders"] == ["alternatives", "branch_name"]
    assert state.as_dict()["free_placeholder_rules"] == rules


def test_no_choice_frees_nothing(lena, clock):
    service.approve_statement(SLUG, actor=lena)
    assert approved_event()["free_placeholders"] == {}
    assert service.approval_state(service.get_statement(SLUG)).free_placeholders == {}


@pytest.mark.parametrize(
    "free",
    [
        "issue",
        ["next_update"],
        ["cause"],
        [5],
        [{"name": "issue", "colour": "red"}],
        ["issue", "issue"],
        [{"name": "issue", "pattern": "("}],
        [{"name": "issue", "pattern": "(a+)+"}],
        [{"name": "issue", "pattern": "(\\w+\\s?)*"}],
        [{"name": "issue", "pattern": "(?:x|y*)+z"}],
        [{"name": "issue", "pattern": "a" * 201}],
        [{"name": "issue", "pattern": 7}],
        [{"name": "issue", "values": "outage"}],
        [{"name": "issue", "values": ["x" * 51]}],
        [{"name": "issue", "values": ["line\nbreak"]}],
        [{"name": "issue", "pattern": "[a-z]+", "values": ["Outage"]}],
    ],
    ids=[
        "not-a-list",
        "time-placeholder",
        "unknown",
        "number",
        "unknown-key",
        "twice",
        "bad-pattern",
        "nested",
        "nested-optional",
        "nested-alternative",
        "long-pattern",
        "pattern-not-text",
        "values-not-list",
        "value-too-long",
        "value-two-lines",
        "value-outside-pattern",
    ],
)
def test_bad_choices_are_refused_naming_free_placeholders(lena, clock, free):
    with pytest.raises(Invalid) as caught:
        service.approve_statement(SLUG, actor=lena, free_placeholders=free)
    assert caught.value.field == "free_placeholders" and caught.value.status == 422
    assert approvals() == 0


@pytest.mark.parametrize(
    "pattern", ["[A-Z][a-z]+( [A-Z][a-z]+)?", "Filiale (Nord|Süd)", "\\d{5} [A-Za-z]+"]
)
def test_plain_patterns_are_accepted(lena, clock, pattern):
    service.approve_statement(
        SLUG, actor=lena, free_placeholders=[{"name": "issue", "pattern": pattern}]
    )
    assert approvals() == 1


def test_the_api_takes_and_shows_free_placeholders(client, lena, token_for, clock):
    headers = token_for(lena)
    reply = client.post(
        f"/api/v1/statements/{SLUG}/approve",
        headers=headers,
        json={"free_placeholders": [{"name": "issue", "values": ["outage", "disruption"]}]},
    )
    assert reply.status_code == 200
    assert reply.json["approval"]["free_placeholders"] == ["issue"]
    assert reply.json["approval"]["free_placeholder_rules"] == {
        "issue": {"pattern": None, "values": ["outage", "disruption"]}
    }
    listed = client.get("/api/v1/statements?language=en&limit=200", headers=headers).json["items"]
    assert next(s for s in listed if s["slug"] == SLUG)["approval"]["free_placeholders"] == [
        "issue"
    ]


def test_the_api_refuses_a_bad_pattern_with_422(client, lena, token_for, clock):
    reply = client.post(
        f"/api/v1/statements/{SLUG}/approve",
        headers=token_for(lena),
        json={"free_placeholders": [{"name": "issue", "pattern": "(a+)+$"}]},
    )
    assert reply.status_code == 422 and reply.json["error"]["field"] == "free_placeholders"
    assert approvals() == 0


def test_the_sign_off_form_offers_free_text_placeholders(client, lena):
    login(client, "lena")
    page = client.get(f"/library/statements/{SLUG}").get_data(as_text=True)
    assert '<label class="form-check-label" for="free_issue">‘issue’ is free' in page
    assert '<label class="form-label" for="pattern_issue">' in page
    assert '<label class="form-label" for="values_issue">' in page
    assert "‘next_update’ (time): checked by type." in page and 'id="free_next_update"' not in page


def test_legal_frees_a_placeholder_with_allowed_values_on_the_page(client, lena, clock):
    login(client, "lena")
    reply = client.post(
        f"/library/statements/{BRANCH}/approve",
        data={
            "free_branch_name": "y",
            "values_branch_name": "Marktplatz\r\nBahnhofstraße\r\n",
            "pattern_branch_name": "",
            "values_alternatives": "ignored: not ticked",
        },
    )
    assert reply.status_code == 302
    state = service.approval_state(service.get_statement(BRANCH))
    assert state.free_placeholders == {
        "branch_name": {"pattern": None, "values": ["Marktplatz", "Bahnhofstraße"]}
    }
    page = client.get(f"/library/statements/{BRANCH}").get_data(as_text=True)
    assert "Free placeholders" in page and "Marktplatz · Bahnhofstraße" in page


def test_a_bad_pattern_is_shown_on_the_sign_off_form(client, lena, clock):
    login(client, "lena")
    reply = client.post(
        f"/library/statements/{SLUG}/approve", data={"free_issue": "y", "pattern_issue": "(a+)+"}
    )
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422
    form = page[page.index('id="signoff-h"') : page.index("</form>", page.index('id="signoff-h"'))]
    assert 'role="alert"' in form and "The pattern for ‘issue’ repeats a group" in form
    assert 'value="(a+)+"' in form
    assert approvals() == 0
