"""The factory, configuration and database connection settings."""

from pathlib import Path

import pytest
from sqlalchemy import text

from crisisdesk import create_app
from crisisdesk.extensions import db


def test_app_module_only_builds_the_app():
    source = (Path(__file__).parent.parent / "app.py").read_text()
    code = [
        line for line in source.splitlines() if line and not line.startswith(("#", '"""', "from"))
    ]
    assert code == ["app = create_app()"]


def test_environment_prefix_and_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("CRISISDESK_TIMEZONE", "Europe/Vienna")
    monkeypatch.setenv("CRISISDESK_SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    app = create_app()
    assert app.config["TIMEZONE"] == "Europe/Vienna"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite")


def test_postgres_url_spellings_use_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_development_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("CRISISDESK_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = Path(first.instance_path) / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("CRISISDESK_SECRET_KEY", raising=False)
    monkeypatch.setenv("CRISISDESK_DEPLOYMENT", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_factory_touches_no_database(tmp_path):
    app = create_app(
        {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'never.sqlite'}"}
    )
    assert app is not None
    assert not (tmp_path / "never.sqlite").exists()


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_bootstrap_is_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn." not in page and "https://" not in page
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_production_password_hashing_is_full_strength_scrypt(tmp_path):
    from crisisdesk.accounts.service import hash_password

    app = create_app(
        {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    )
    with app.app_context():
        assert hash_password("a long password").startswith("scrypt:32768:8:1$")


def outcome(builder, values: dict, extra: dict):
    """What a builder makes of the values: its URL, or the kind of its refusal."""
    try:
        return builder(**values, **extra)
    except ValueError as exc:
        return type(exc).__name__


def test_url_builders_are_shared_and_build_what_a_fresh_compile_builds(app):
    from werkzeug.routing import Rule

    shared = Rule._compile_builder
    original = shared.original  # werkzeug's own, which the tests' conftest wraps
    checked = 0
    for rule in app.url_map.iter_rules():
        values = {name: "1" for name in rule.arguments}
        for unknown in (False, True):
            fresh = original(rule, unknown).__get__(rule, None)
            again = shared(rule, unknown).__get__(rule, None)
            extra = {"page": "2"} if unknown else {}
            assert outcome(fresh, values, extra) == outcome(again, values, extra), rule.rule
            checked += 1
    assert checked == 2 * len(list(app.url_map.iter_rules())) > 200
