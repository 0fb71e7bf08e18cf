"""Workers wake on new events on PostgreSQL (LISTEN/NOTIFY), with the timer as the fallback."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import service, wakeup, worker

from .test_worker import SECRET

PLAYBOOK = "it-provider-outage-en"
postgres_only = pytest.mark.parametrize("app", ["postgres"], indirect=True)


def _arrived(receiver, count: int, within: float) -> float | None:
    """Seconds until the receiver holds `count` calls, or None if it did not within `within`."""
    started = time.monotonic()
    while time.monotonic() - started < within:  # another thread delivers; wait on its result
        if len(receiver.requests) >= count:
            return time.monotonic() - started
        time.sleep(0.01)
    return None


class RunningWorker:
    """worker.run() in a thread of this process, as `flask worker` runs it."""

    def __init__(self, app, interval: float):
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=worker.run, args=(app,), kwargs={"interval": interval, "stop": self.stop}
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the worker did not stop within 10 s"


def _listeners() -> list[int]:
    db.session.rollback()
    query = "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN crisisdesk_events'"
    return list(db.session.execute(text(query)).scalars())


@pytest.fixture
def incident(receiver, olga):
    """An incident whose notes go to the receiver's webhook."""
    service.add_webhook(receiver.url, SECRET, events=["note_added"])
    opened = incidents.open_incident(actor=olga, title="Outage", severity=3, playbook=PLAYBOOK)
    db.session.commit()
    return opened


@postgres_only
def test_a_note_is_delivered_long_before_the_interval(app, receiver, olga, incident):
    with RunningWorker(app, interval=60):
        waits = []
        for n in range(5):
            entries.add_note(incident.id, f"note {n}", actor=olga)
            waits.append(_arrived(receiver, n + 1, within=20))
            assert waits[-1] is not None, f"note {n} was not delivered in 20 s"
    # a timer of 60 s would leave the first note waiting for the next round
    assert max(waits) < 5, waits


@postgres_only
def test_a_worker_whose_listening_connection_dies_goes_on_and_listens_again(
    app, receiver, olga, incident
):
    with RunningWorker(app, interval=1):
        entries.add_note(incident.id, "before", actor=olga)
        assert _arrived(receiver, 1, within=20) is not None
        (listener,) = _listeners()
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener})
        db.session.commit()
        entries.add_note(incident.id, "after", actor=olga)
        assert _arrived(receiver, 2, within=20) is not None  # on the timer, or listening again
        started = time.monotonic()
        while _listeners() in ([], [listener]):  # the next wait listens on a new connection
            assert time.monotonic() - started < 20, "the worker never listened again"
            time.sleep(0.05)


def test_on_sqlite_the_worker_waits_on_its_timer(app):
    waiter = wakeup.Wakeup(app)
    assert waiter.listens is (db.engine.dialect.name == "postgresql")
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    waiter.wait(60, stop, round_started=time.monotonic())  # a set stop ends any wait at once
    assert time.monotonic() - started < 1
    waiter.close()
