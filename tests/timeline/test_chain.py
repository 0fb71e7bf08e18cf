"""The hash chain: appends link up, verify finds edits, deletions and reorders."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.timeline import append_event, verify_chain
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import ChainHead, TimelineEvent

from ..conftest import run_together


def add_toy_events(count: int, actor=None) -> None:
    for number in range(count):
        begin_write()
        append_event("toy", actor=actor, data={"n": number, "text": f"Störung Nr. {number}"})
        db.session.commit()


def tamper(sql: str, **params) -> None:
    """Change the event table behind the app's back, as an attacker with database access could."""
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("ALTER TABLE timeline_event DISABLE TRIGGER timeline_event_append_only")
            )
            conn.execute(text(sql), params)
            conn.execute(
                text("ALTER TABLE timeline_event ENABLE TRIGGER timeline_event_append_only")
            )
        else:
            conn.execute(text("DROP TRIGGER timeline_event_no_update"))
            conn.execute(text("DROP TRIGGER timeline_event_no_delete"))
            conn.execute(text(sql), params)


def test_events_link_into_a_chain(app, clock):
    add_toy_events(3)
    events = db.session.scalars(select(TimelineEvent).order_by(TimelineEvent.seq)).all()
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert decoded_data(events[2]) == {"n": 2, "text": "Störung Nr. 2"}
    assert events[0].at == clock.now()
    head = db.session.get(ChainHead, 1)
    assert (head.seq, head.hash) == (3, events[2].hash)
    assert verify_chain().as_dict() == {"ok": True, "events_checked": 3}


def test_empty_chain_verifies(app):
    assert verify_chain().ok


def test_append_needs_a_write_transaction(app):
    db.session.execute(select(func.count()).select_from(TimelineEvent))
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(RuntimeError, match="begin_write"):
            append_event("toy", actor=None)


def test_edited_event_is_detected(app):
    add_toy_events(5)
    tamper("UPDATE timeline_event SET data = :data WHERE seq = 3", data='{"n":999}')
    report = verify_chain()
    assert not report.ok and report.first_bad_event == 3 and report.problem == "altered"


def test_deleted_event_is_detected(app):
    add_toy_events(5)
    tamper("DELETE FROM timeline_event WHERE seq = 2")
    report = verify_chain()
    assert not report.ok and report.first_bad_event == 2 and report.problem == "missing"


def test_deleted_last_event_is_detected(app):
    add_toy_events(4)
    tamper("DELETE FROM timeline_event WHERE seq = 4")
    report = verify_chain()
    assert not report.ok and report.first_bad_event == 4


def test_reordered_events_are_detected(app):
    add_toy_events(5)
    # swap the content of events 2 and 4 while keeping their positions
    tamper(
        "UPDATE timeline_event SET data = CASE seq "
        "WHEN 2 THEN (SELECT data FROM timeline_event WHERE seq = 4) "
        "ELSE (SELECT data FROM timeline_event WHERE seq = 2) END WHERE seq IN (2, 4)"
    )
    report = verify_chain()
    assert not report.ok and report.first_bad_event == 2


def test_database_refuses_update_and_delete(app):
    add_toy_events(2)
    for statement in ("UPDATE timeline_event SET kind = 'x'", "DELETE FROM timeline_event"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TimelineEvent)) == 2


def test_concurrent_writers_never_fork_the_chain(app):
    writers, per_writer = 6, 25
    _results, errors = run_together(app, writers, lambda _index: add_toy_events(per_writer))
    assert errors == []
    db.session.rollback()  # end the read snapshot; reload
    seqs = db.session.scalars(select(TimelineEvent.seq).order_by(TimelineEvent.seq)).all()
    assert seqs == list(range(1, writers * per_writer + 1))
    assert verify_chain().ok


def test_a_time_stored_in_another_spelling_is_checked_by_the_reference_path(app, clock):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores times as text")
    add_toy_events(3)
    # the same instant, written the way another SQLite client
    # might: still verifies; a changed instant does not
    tamper("UPDATE timeline_event SET at = replace(at, ' ', 'T') WHERE seq = 2")
    assert verify_chain().ok
    db.session.remove()
    with db.engine.begin() as conn:  # the triggers are gone since the first tamper()
        conn.execute(
            text("UPDATE timeline_event SET at = replace(at, '.000000', '.000001') WHERE seq = 2")
        )
    assert (verify_chain().ok, verify_chain().first_bad_event) == (False, 2)
