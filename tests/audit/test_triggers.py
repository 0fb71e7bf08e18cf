"""The recorded tables are append-only at the database
too, and verify names a trigger that is gone.
"""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from crisisdesk import clock as desk_clock
from crisisdesk import create_app
from crisisdesk.audit.report import verify_all
from crisisdesk.audit.triggers import expected_triggers, missing_triggers
from crisisdesk.extensions import db

from ..conftest import PG_URL, REQUIRE_POSTGRES, create_pg_database, drop_pg_database
from .attacker import drop_trigger, restore_trigger

REFUSED = [
    ("response_revision", "UPDATE response_revision SET body = 'We caused it.'"),
    ("response_revision", "DELETE FROM response_revision"),
    ("response_review", "UPDATE response_review SET comment = 'Fine by me.'"),
    ("response_review", "DELETE FROM response_review"),
    ("content_version", "UPDATE content_version SET text = 'amended'"),
    ("content_version", "DELETE FROM content_version"),
    ("statement_approval", "UPDATE statement_approval SET review_by = '2099-12-31'"),
    (
        "statement_approval",
        "UPDATE statement_approval SET expiry_recorded_at = NULL, slug = 'other'",
    ),
    ("statement_approval", "DELETE FROM statement_approval"),
    ("incident", "DELETE FROM incident"),
    ("response", "DELETE FROM response"),
]


def _count(table: str) -> int:
    return db.session.scalar(select(func.count()).select_from(text(table)))


@pytest.mark.parametrize("table, statement", REFUSED, ids=[s for _t, s in REFUSED])
def test_the_database_refuses_changing_recorded_rows(app, story, table, statement):
    before = _count(table)
    assert before > 0
    with pytest.raises(DatabaseError, match=f"on {table} refused"):
        db.session.execute(text(statement))
        db.session.flush()
    db.session.rollback()
    assert _count(table) == before


def test_what_the_desk_itself_changes_is_still_allowed(app, story):
    db.session.execute(
        text("UPDATE statement_approval SET expiry_recorded_at = :at"), {"at": desk_clock.now()}
    )
    db.session.execute(text("UPDATE incident SET last_reminder_at = :at"), {"at": desk_clock.now()})
    db.session.execute(text("UPDATE response SET submitted_at = :at"), {"at": desk_clock.now()})
    db.session.commit()


def test_verify_names_a_dropped_trigger(app, runner, story):
    assert verify_all()["ok"]
    drop_trigger("response_revision", "response_revision_no_update")
    try:
        report = verify_all()
        assert report["ok"] is False and report["missing_triggers"] == [
            "response_revision_no_update"
        ]
        assert (report["failed_check"], report["problem"], report["first_bad_event"]) == (
            "triggers",
            "missing_triggers",
            None,
        )
        assert report["checks"] == {"chain": True, "records": True, "triggers": False}
        result = runner.invoke(args=["audit", "verify", "--workers", "1"])
        assert (
            result.exit_code == 1
            and "TRIGGERS MISSING: response_revision_no_update" in result.output
        )
    finally:
        restore_trigger("response_revision", "response_revision_no_update")
    assert verify_all()["ok"]


def test_a_switched_off_trigger_counts_as_missing(app, story):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite cannot switch a trigger off, only drop it")
    db.session.execute(text("ALTER TABLE incident DISABLE TRIGGER incident_no_delete"))
    db.session.commit()
    try:
        assert verify_all()["missing_triggers"] == ["incident_no_delete"]
    finally:
        db.session.execute(text("ALTER TABLE incident ENABLE TRIGGER incident_no_delete"))
        db.session.commit()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_migration_creates_the_triggers_and_takes_them_back(backend, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    elif PG_URL:
        url = create_pg_database(PG_URL)
    else:
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL required")
        pytest.skip("PostgreSQL not configured")
    app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                assert missing_triggers(conn) == []
            downgrade(revision="0009")
            with db.engine.connect() as conn:
                ours = [
                    name
                    for table, name in expected_triggers(conn.dialect.name)
                    if table != "timeline_event"
                ]
                assert missing_triggers(conn) == ours
            db.engine.dispose()
    finally:
        if backend == "postgres":
            drop_pg_database(PG_URL, url)
