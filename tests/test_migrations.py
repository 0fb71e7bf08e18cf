"""Migrations build exactly the models' schema, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from crisisdesk import create_app
from crisisdesk.extensions import db
from crisisdesk.search.models import outside_models

from .conftest import PG_URL, REQUIRE_POSTGRES, create_pg_database, drop_pg_database


def _fresh_database_url(backend, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL required")
        pytest.skip("PostgreSQL not configured")
    return create_pg_database(PG_URL)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrations_match_models_and_downgrade(backend, tmp_path):
    url = _fresh_database_url(backend, tmp_path)
    app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn,
                    opts={
                        "compare_type": True,
                        "include_name": lambda name, type_, _: not outside_models(name, type_),
                    },
                )
                diff = compare_metadata(context, db.metadata)
                assert diff == [], f"models and migrations differ: {diff}"
                head = conn.execute(text("SELECT seq, hash FROM timeline_head")).all()
                assert head == [(0, "0" * 64)]
                if backend == "postgres":  # workers wake on this (notify/wakeup.py)
                    found = "SELECT tgname FROM pg_trigger WHERE tgname = 'timeline_event_notify'"
                    assert conn.execute(text(found)).scalars().all() == ["timeline_event_notify"]
            downgrade(revision="0022")
            with db.engine.connect() as conn:
                found = "SELECT proname FROM pg_proc WHERE proname = 'timeline_event_notify'"
                assert backend == "sqlite" or conn.execute(text(found)).all() == []
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
    finally:
        if backend == "postgres":
            drop_pg_database(PG_URL, url)
