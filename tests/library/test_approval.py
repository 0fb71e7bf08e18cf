"""Legal sign-off binds to one content hash; a changed file is a new, unapproved version."""

from datetime import date

import pytest
from sqlalchemy import func, select

from crisisdesk.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.library import service, sign_off_queue
from crisisdesk.library.models import ContentVersion, StatementApproval
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.models import TimelineEvent

SLUG = "holding-social-de"


def kinds():
    return db.session.scalars(select(TimelineEvent.kind).order_by(TimelineEvent.seq)).all()


def test_sync_records_each_version_once(app, content):
    first = service.sync_versions()
    files = [*content.path.glob("*.md"), *content.path.glob("*/*.md")]  # statements, dark, drills
    assert len(first) == len(files) == 164 and service.sync_versions() == []
    version = db.session.scalar(select(ContentVersion).where(ContentVersion.slug == SLUG))
    assert version.text == (content.path / "statements" / "holding-social.de.md").read_text()
    assert kinds() == ["content_synced"]


def test_legal_approves_the_current_version(app, content, make_user, clock):
    lena = make_user("lena", roles=["legal"])
    assert service.approval_state(service.get_statement(SLUG)).status == "unapproved"
    approval = service.approve_statement(SLUG, actor=lena)
    assert approval.review_by == date(2027, 11, 29)  # a year from the desk's today
    state = service.approval_state(service.get_statement(SLUG))
    assert (state.status, state.approved_by) == ("approved", "lena")
    assert kinds()[-1] == "statement_approved"
    with pytest.raises(Conflict):
        service.approve_statement(SLUG, actor=lena)


@pytest.mark.parametrize("roles", [["oncall"], ["management"], ["admin"]])
def test_only_legal_may_approve(app, content, make_user, roles):
    with pytest.raises(Forbidden):
        service.approve_statement(SLUG, actor=make_user(roles=roles))
    assert db.session.scalar(select(func.count()).select_from(StatementApproval)) == 0


@pytest.mark.parametrize("review_by", [date(2026, 11, 29), date(2020, 1, 1), date(2031, 1, 1)])
def test_review_date_must_be_in_the_next_three_years(app, content, make_user, clock, review_by):
    with pytest.raises(Invalid) as caught:
        service.approve_statement(SLUG, actor=make_user(roles=["legal"]), review_by=review_by)
    assert caught.value.field == "review_by"


def test_changed_file_is_a_new_unapproved_version_and_the_old_approval_stays(
    app, content, make_user, clock
):
    lena = make_user("lena", roles=["legal"])
    service.approve_statement(SLUG, actor=lena)
    old_hash = service.get_statement(SLUG).sha256
    content.edit("statements/holding-social.de.md", "Wir wissen davon", "Wir wissen es")
    statement = service.get_statement(SLUG)
    assert statement.sha256 != old_hash
    assert service.approval_state(statement).status == "unapproved"
    service.sync_versions()
    hashes = db.session.scalars(
        select(ContentVersion.sha256).where(ContentVersion.slug == SLUG)
    ).all()
    assert set(hashes) == {old_hash, statement.sha256}
    old = db.session.scalar(select(StatementApproval).where(StatementApproval.slug == SLUG))
    assert old.sha256 == old_hash
    entry = next(e for e in sign_off_queue.review_queue(actor=lena) if e.statement.slug == SLUG)
    assert (
        "-",
        next(line for line in old.version.text.splitlines() if "Wir wissen davon" in line),
    ) in entry.diff
    assert any(kind == "+" and "Wir wissen es" in line for kind, line in entry.diff)


def test_approval_expires_after_its_review_date(app, content, make_user, clock):
    lena = make_user("lena", roles=["legal"])
    service.approve_statement(SLUG, actor=lena, review_by=date(2026, 12, 31))
    clock.advance(days=32)  # 2026-12-31 10:00 Berlin: still the last valid day
    assert service.approval_state(service.get_statement(SLUG)).status == "approved"
    assert service.record_expired_approvals() == 0
    clock.advance(days=1)
    assert service.approval_state(service.get_statement(SLUG)).status == "expired"
    assert service.record_expired_approvals() == 1
    assert service.record_expired_approvals() == 0
    assert kinds()[-1] == "statement_approval_expired"
    assert SLUG in [e.statement.slug for e in sign_off_queue.review_queue(actor=lena)]
    service.approve_statement(SLUG, actor=lena)  # re-approval is allowed once expired
    assert service.approval_state(service.get_statement(SLUG)).status == "approved"
    assert verify_chain().ok
