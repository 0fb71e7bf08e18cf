"""A content version recorded while a service works is part of that service's transaction."""

import pytest
from sqlalchemy import func, select

from crisisdesk.accounts.models import User
from crisisdesk.audit.records import verify_records
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service
from crisisdesk.library.models import ContentVersion
from crisisdesk.library.store import get_library
from crisisdesk.responses import service as responses
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import run_together
from ..counting import counted_commits

PLAYBOOK, STATEMENT = "phishing-wave-en", "holding-social-en"


def kinds(after: int = 0) -> list[str]:
    """Kinds of the committed events after sequence number `after`."""
    db.session.rollback()
    return list(
        db.session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.seq > after).order_by(TimelineEvent.seq)
        )
    )


def head() -> int:
    return db.session.scalar(select(func.max(TimelineEvent.seq))) or 0


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ContentVersion))


def library_size() -> int:
    library = get_library()
    return len(library.playbooks) + len(library.statements) + len(library.drills) + len(library.qa)


def open_one(actor):
    return incidents.open_incident(actor=actor, title="Phishing", severity=2, playbook=PLAYBOOK)


def test_opening_records_the_versions_in_its_own_transaction(app, content, make_user, clock):
    olga = make_user("olga", roles=["oncall"])
    before = head()
    with counted_commits() as commits:
        open_one(olga)
    assert len(commits) == 1
    # the opener takes on the minute-0 step in the same transaction as the opening
    assert kinds(before) == ["content_synced", "incident_opened", "escalation_acknowledged"]
    assert version_count() == library_size()


def test_an_opening_that_fails_leaves_no_version_behind(
    app, content, make_user, clock, monkeypatch
):
    olga = make_user("olga", roles=["oncall"])

    def broken_plan(incident, playbook):
        raise RuntimeError("the policy cannot be read")

    monkeypatch.setattr(incidents.escalation, "plan", broken_plan)
    before = head()
    with pytest.raises(RuntimeError):
        open_one(olga)
    db.session.rollback()
    assert version_count() == 0 and kinds(before) == []


def test_approving_a_new_version_commits_once(app, content, make_user, clock):
    lena = make_user("lena", roles=["legal"])
    before = head()
    with counted_commits() as commits:
        service.approve_statement(STATEMENT, actor=lena)
    assert len(commits) == 1
    assert kinds(before) == ["content_synced", "statement_approved"]


def test_drafting_from_a_changed_statement_commits_once(app, content, make_user, clock):
    olga = make_user("olga", roles=["oncall"])
    incident = open_one(olga)
    content.edit("statements/holding-social.en.md", "we are aware", "we know")
    with counted_commits() as commits:
        response = responses.draft_response(
            incident.id,
            actor=olga,
            channel="facebook",
            statement=STATEMENT,
            values={"issue": "an outage", "help_place": "on our website", "next_update": "14:30"},
        )
    assert len(commits) == 1
    assert kinds()[-2:] == ["content_synced", "response_drafted"]
    version = db.session.get(ContentVersion, response.statement_version_id)
    assert version.sha256 == service.get_statement(STATEMENT).sha256


def test_versions_recorded_by_several_writers_at_once_are_recorded_once(app, content, make_user):
    ids = [make_user(f"oncall{index}", roles=["oncall"]).id for index in range(4)]
    db.session.commit()

    def opening(index):
        return open_one(db.session.get(User, ids[index])).id

    results, errors = run_together(app, 4, opening)
    assert errors == [] and len(results) == 4
    db.session.rollback()
    rows = db.session.execute(
        select(ContentVersion.kind, ContentVersion.slug, ContentVersion.sha256)
    ).all()
    assert len(rows) == len(set(rows)) == library_size()
    assert kinds().count("content_synced") == 1 and kinds().count("incident_opened") == 4
    assert verify_records().ok  # every stored version is told by exactly one event
