"""Thirty-two people pressing the same button at
once: the conditional UPDATE lets exactly one win.
"""

import pytest
from sqlalchemy import func, select

from crisisdesk.accounts.service import find_user
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.responses import service
from crisisdesk.responses.models import Response, Review
from crisisdesk.timeline import verify_chain

from ..conftest import run_together
from .conftest import events

THREADS = 32
FREE = "We know about the disruption and are working on it."


def race(app, username: str, work) -> tuple[list, list]:
    """Run work(actor) in THREADS threads at once, each
    in its own app context; return (results, errors).
    """
    results, errors = run_together(app, THREADS, lambda _index: work(find_user(username)).id)
    db.session.rollback()  # see what the threads committed
    return results, errors


@pytest.fixture
def pending(incident, olga):
    """A free-text response waiting for legal."""
    response = service.draft_response(incident.id, actor=olga, channel="x", body=FREE)
    service.submit_response(response.id, actor=olga)
    return response.id


@pytest.fixture
def approved_response(pending, lena):
    service.approve_response(pending, actor=lena)
    return pending


def test_parallel_approvals_let_exactly_one_win(app, pending, lena):
    results, errors = race(
        app, "lena", lambda actor: service.approve_response(pending, actor=actor)
    )
    assert results == [pending]
    assert len(errors) == THREADS - 1 and all(isinstance(exc, Conflict) for exc in errors), errors[
        :3
    ]
    assert len(events("response_approved")) == 1
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1
    assert db.session.get(Response, pending).status == "approved"
    assert verify_chain().ok


def test_parallel_publications_let_exactly_one_win(app, approved_response, olga):
    results, errors = race(
        app, "olga", lambda actor: service.publish_response(approved_response, actor=actor)
    )
    assert results == [approved_response]
    assert len(errors) == THREADS - 1 and all(isinstance(exc, Conflict) for exc in errors), errors[
        :3
    ]
    assert len(events("response_published")) == 1
    response = db.session.get(Response, approved_response)
    assert (response.status, response.published_by.username) == ("published", "olga")
    assert verify_chain().ok


def test_parallel_publications_of_a_lapsed_text_record_one_lapse(app, incident, olga, lena, clock):
    from datetime import date

    from crisisdesk.library import service as library

    from .conftest import SOCIAL, VALUES

    library.approve_statement(
        SOCIAL, actor=lena, review_by=date(2026, 12, 1), free_placeholders=["issue", "help_place"]
    )
    response_id = service.draft_response(
        incident.id, actor=olga, channel="x", statement=SOCIAL, values=VALUES
    ).id
    clock.advance(days=3)
    results, errors = race(
        app, "olga", lambda actor: service.publish_response(response_id, actor=actor)
    )
    assert (
        results == []
        and len(errors) == THREADS
        and all(isinstance(exc, Conflict) for exc in errors)
    ), errors[:3]
    assert len(events("response_approval_lapsed")) == 1 and events("response_published") == []
    assert db.session.get(Response, response_id).status == "draft"
    assert verify_chain().ok
