"""Thirty-two people pressing the same button at once: the conditional UPDATE lets exactly one win."""
import threading

import pytest
from sqlalchemy import func, select

from crisisdesk.accounts.service import find_user
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.responses import service
from crisisdesk.responses.models import Response, Review
from crisisdesk.timeline import verify_chain

from .conftest import events

THREADS = 32
JOIN_TIMEOUT = 120
FREE = "We know about the disruption and are working on it."


def race(app, username: str, work) -> tuple[list, list]:
    """Run work(actor) in THREADS threads at once, each in its own app context; return (results, errors)."""
    barrier, results, errors = threading.Barrier(THREADS), [], []

    def target():
        with app.app_context():
            try:
                actor = find_user(username)
                db.session.rollback()  # do not hold a read transaction while waiting at the barrier
                barrier.wait(timeout=60)
                results.append(work(actor).id)
            except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
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
    results, errors = race(app, "lena", lambda actor: service.approve_response(pending, actor=actor))
    assert results == [pending]
    assert len(errors) == THREADS - 1 and all(isinstance(exc, Conflict) for exc in errors), errors[:3]
    assert len(events("response_approved")) == 1
    assert db.session.scalar(select(func.count()).select_from(Review)) == 1
    assert db.session.get(Response, pending).status == "approved"
    assert verify_chain().ok


def test_parallel_publications_let_exactly_one_win(app, approved_response, olga):
    results, errors = race(app, "olga", lambda actor: service.publish_response(approved_response, actor=actor))
    assert results == [approved_response]
    assert len(errors) == THREADS - 1 and all(isinstance(exc, Conflict) for exc in errors), errors[:3]
    assert len(events("response_published")) == 1
    response = db.session.get(Response, approved_response)
    assert (response.status, response.published_by.username) == ("published", "olga")
    assert verify_chain().ok
