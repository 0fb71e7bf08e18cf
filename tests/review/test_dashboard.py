"""Dashboard trends: per-month count, median and p90 (nearest rank), computed in the database."""

from datetime import timedelta

import pytest

from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses
from crisisdesk.review.figures import summary


@pytest.fixture
def people(make_user):
    return make_user("olga", roles=["oncall"]), make_user("lena", roles=["legal"])


def publish_after(clock, olga, lena, first_statement_minutes: int, review_minutes: int):
    """One incident: legal decides after `review_minutes`,
    the statement is out after `first_statement_minutes`.
    """
    start = clock.now()
    incident = incidents.open_incident(
        actor=olga, title="Storm", severity=2, playbook="fee-dispute-en"
    )
    draft = responses.draft_response(
        incident.id, actor=olga, channel="facebook", body="We are on it."
    )
    responses.submit_response(draft.id, actor=olga)
    clock.advance(minutes=review_minutes)
    responses.approve_response(draft.id, actor=lena)
    clock.advance(minutes=max(0, first_statement_minutes - review_minutes))
    responses.publish_response(
        draft.id, actor=olga, published_at=start + timedelta(minutes=first_statement_minutes)
    )
    clock.freeze(start + timedelta(hours=3))


def test_monthly_median_and_p90_of_first_statement_and_review(app, clock, people):
    olga, lena = people
    for first, review in ((10, 2), (20, 4), (30, 6), (40, 8), (120, 100)):
        publish_after(clock, olga, lena, first, review)
    data = summary(90)
    assert data["total"] == 5 and data["by_severity"] == {2: 5}
    [statement] = data["first_statement"]
    assert statement.month == "2026-11" and statement.count == 5
    assert (statement.median_s, statement.p90_s) == (30 * 60, 120 * 60)  # ranks 3 and 5 of 5
    [review] = data["legal_review"]
    assert (review.median_s, review.p90_s) == (6 * 60, 100 * 60)


def test_empty_period_has_no_trend(app, clock):
    data = summary(90)
    assert data["first_statement"] == [] and data["legal_review"] == [] and data["total"] == 0
