"""SQLite writers wait for the write lock in short pauses and give up at the busy timeout."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.timeline.models import StateHead

from .conftest import build_app, dispose_app


@pytest.fixture
def sqlite_app(request, tmp_path):
    app = build_app(request, tmp_path, SQLITE_BUSY_TIMEOUT_MS=2_000)
    yield app
    dispose_app(app)


def other_writer(app) -> sqlite3.Connection:
    """A connection of its own holding the write lock, as another process's would
    (isolation_level=None: the BEGIN is ours)."""
    connection = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :])
    connection.isolation_level = None
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO state_head (name, seq) VALUES ('other', 1)")
    return connection


def write_in_thread(app, name: str, outcome: dict) -> threading.Thread:
    def write():
        with app.app_context():
            try:
                begin_write()
                db.session.execute(
                    text("INSERT INTO state_head (name, seq) VALUES (:n, 2)"), {"n": name}
                )
                # on the very connection that waited: its short pauses did not stay behind
                outcome["busy_ms"] = db.session.execute(text("PRAGMA busy_timeout")).scalar()
                db.session.commit()
                outcome["written"] = True
            except OperationalError as error:
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_a_writer_waits_for_the_lock_and_writes_after_the_other_commits(sqlite_app):
    holder = other_writer(sqlite_app)
    outcome: dict = {}
    waiter = write_in_thread(sqlite_app, "waiter", outcome)
    waiter.join(timeout=0.3)
    assert waiter.is_alive() and outcome == {}  # still queued behind the holder
    holder.execute("COMMIT")
    waiter.join(timeout=10)
    assert outcome == {"written": True, "busy_ms": 2_000}
    with sqlite_app.app_context():
        names = db.session.scalars(select(StateHead.name).order_by(StateHead.name)).all()
        assert {"other", "waiter"} <= set(names)


def test_a_writer_gives_up_at_the_busy_timeout_and_nothing_is_written(sqlite_app):
    holder = other_writer(sqlite_app)
    with sqlite_app.app_context():
        connection = db.engine.connect().execution_options(sqlite_write=True)
        with pytest.raises(OperationalError, match="database is locked"):
            connection.begin()
        holder.execute("ROLLBACK")
        # the connection that gave up works again, with SQLite's own timeout back
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2_000
        connection.close()
        assert db.session.scalar(select(StateHead).where(StateHead.name == "other")) is None
