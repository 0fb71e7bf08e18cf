"""`flask demo`: legal's sign-off on every statement, as the demo legal user, once."""

import json

from sqlalchemy import func, select

from crisisdesk.accounts import service as accounts
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.library.store import get_library
from crisisdesk.responses import service as responses
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.models import TimelineEvent


def approvals_on_record() -> list[TimelineEvent]:
    db.session.rollback()
    return list(
        db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "statement_approved"))
    )


def test_demo_approves_every_statement_as_the_demo_legal_user(runner, clock):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    statements = list(get_library().statements.values())
    assert f"Statements approved: {len(statements)} of {len(statements)}" in result.output
    states = library.approval_states(statements)
    assert all(state.usable for state in states.values())
    assert {state.approved_by for state in states.values()} == {"legal"}
    social = states["holding-social-en"]
    assert (social.review_by - library.desk_today()).days == library.DEFAULT_REVIEW_DAYS
    # the text placeholders; the time is typed
    assert set(social.free_placeholders) == {"issue", "help_place"}
    legal = accounts.find_user("legal")
    events = approvals_on_record()
    assert len(events) == len(statements)
    assert {(event.actor_id, event.actor_name) for event in events} == {(legal.id, legal.username)}
    assert sorted(json.loads(event.data)["statement"] for event in events) == sorted(
        statement.slug for statement in statements
    )
    assert verify_chain().ok


def test_after_demo_a_filled_statement_takes_the_fast_path(runner, clock):
    runner.invoke(args=["demo"])
    oncall = accounts.find_user("oncall")
    incident = incidents.open_incident(
        actor=oncall, title="Outage", severity=2, playbook="it-provider-outage-en"
    )
    response = responses.draft_response(
        incident.id,
        actor=oncall,
        channel="facebook",
        statement="holding-social-en",
        values={
            "issue": "disruption in online banking",
            "help_place": "on our website",
            "next_update": "12:00",
        },
    )
    assert response.status == "preapproved"


def test_second_demo_records_nothing_new(runner, clock):
    first = runner.invoke(args=["demo"])
    events_after_first = db.session.scalar(select(func.count()).select_from(TimelineEvent))
    second = runner.invoke(args=["demo"])
    db.session.rollback()
    assert second.exit_code == 0 and second.output == first.output
    assert db.session.scalar(select(func.count()).select_from(TimelineEvent)) == events_after_first


def test_demo_gives_only_the_missing_sign_offs(runner, clock, make_user):
    lukas = make_user("lukas", roles=["legal"])
    library.approve_statement("holding-social-en", actor=lukas)
    runner.invoke(args=["demo"])
    statements = list(get_library().statements.values())
    assert len(approvals_on_record()) == len(statements)  # one each, lukas's kept
    assert library.approval_state(get_library().statements["holding-social-en"]).approved_by == (
        "lukas"
    )


def test_demo_refused_in_production_approves_nothing(app, runner):
    app.config["DEPLOYMENT"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "not created in production" in result.output
    assert approvals_on_record() == []


def test_the_demo_accounts_were_reviewed_and_only_one_review_is_overdue(runner, clock):
    from crisisdesk.impersonation import official
    from crisisdesk.impersonation.models import OfficialAccount

    assert runner.invoke(args=["demo"]).exit_code == 0
    accounts_ = db.session.scalars(select(OfficialAccount)).all()
    assert len(accounts_) == 4 and all(a.last_access_review for a in accounts_)
    overdue = [a.platform for a in accounts_ if official.review_overdue(a)]
    assert overdue == ["linkedin"]
