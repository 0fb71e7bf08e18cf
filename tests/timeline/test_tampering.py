"""100 random tamperings of the event table — edits,
deletions, reorders — each found and named by verify.
"""

import random

from sqlalchemy import text

from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.timeline import append_event, verify_chain

EVENTS, TRIALS = 40, 100


def _disable_guards() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("ALTER TABLE timeline_event DISABLE TRIGGER timeline_event_append_only")
        )
    else:
        db.session.execute(text("DROP TRIGGER timeline_event_no_update"))
        db.session.execute(text("DROP TRIGGER timeline_event_no_delete"))


def _tamper(rng: random.Random) -> tuple[str, int]:
    """Change the table inside the open transaction;
    return what was done and the first event it breaks.
    """
    kind = rng.choice(
        ["edit_data", "edit_kind", "edit_actor", "edit_time", "delete", "delete_last", "swap"]
    )
    seq = rng.randint(1, EVENTS - 1)
    if kind == "edit_data":
        db.session.execute(
            text("UPDATE timeline_event SET data = :d WHERE seq = :s"), {"d": '{"n":-1}', "s": seq}
        )
    elif kind == "edit_kind":
        db.session.execute(
            text("UPDATE timeline_event SET kind = 'note_added' WHERE seq = :s"), {"s": seq}
        )
    elif kind == "edit_actor":
        db.session.execute(
            text("UPDATE timeline_event SET actor_name = 'mallory' WHERE seq = :s"), {"s": seq}
        )
    elif kind == "edit_time":
        column = "at"
        shift = (
            "datetime(at, '-1 second')"
            if db.engine.dialect.name == "sqlite"
            else "at - interval '1 second'"
        )
        db.session.execute(
            text(f"UPDATE timeline_event SET {column} = {shift} WHERE seq = :s"), {"s": seq}
        )
    elif kind == "delete":
        db.session.execute(text("DELETE FROM timeline_event WHERE seq = :s"), {"s": seq})
    elif kind == "delete_last":
        seq = EVENTS
        db.session.execute(text("DELETE FROM timeline_event WHERE seq = :s"), {"s": seq})
    else:  # reorder: two events swap their content but keep their positions
        other = rng.randint(seq + 1, EVENTS)
        db.session.execute(
            text(
                "UPDATE timeline_event SET data = CASE seq "
                "WHEN :a THEN (SELECT data FROM timeline_event WHERE seq = :b) "
                "ELSE (SELECT data FROM timeline_event WHERE seq = :a) END WHERE seq IN (:a, :b)"
            ),
            {"a": seq, "b": other},
        )
    return kind, seq


def test_every_tampering_is_detected_and_named(app):
    for number in range(EVENTS):
        begin_write()
        append_event("toy", actor=None, data={"n": number, "text": f"Ereignis {number}"})
        db.session.commit()
    assert verify_chain().ok
    rng, detected = random.Random(20261129), 0
    for _trial in range(TRIALS):
        begin_write()
        _disable_guards()
        kind, expected = _tamper(rng)
        report = verify_chain()
        db.session.rollback()  # the table is back as it was; the next trial starts clean
        assert not report.ok, kind
        assert report.first_bad_event == expected, (kind, expected, report)
        detected += 1
    assert detected == TRIALS
    assert verify_chain().ok
