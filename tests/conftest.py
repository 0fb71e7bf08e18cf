"""Fixtures.

app (SQLite, and PostgreSQL when configured), client, runner, login, factories, clock.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import uuid
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from crisisdesk import clock as desk_clock
from crisisdesk import create_app, readcache
from crisisdesk.extensions import db

from .databases import create_pg_database, drop_pg_database, empty_postgres

PG_URL = os.environ.get("CRISISDESK_TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("CRISISDESK_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL or REQUIRE_POSTGRES else [])
FIXED_NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per run instead of once per test app.

    Every test builds its own app, and werkzeug compiles two Python functions per rule (160 rules)
    from an AST, 0.1 s an app and minutes a run. The function depends only on the rule's text,
    parts, converters and defaults, and reads the converters from the rule it is bound to, so one
    compiled builder serves every app's equal rule. test_url_builders_are_shared checks it.
    """
    compile_builder = Rule._compile_builder
    built: dict = {}

    def shared(self, append_unknown=True):
        key = (
            self.rule,
            self.host,
            self.subdomain,
            tuple(self._trace),
            # the builder calls the bound rule's converters; only their kinds shape its code
            tuple(sorted((name, type(c).__name__) for name, c in self._converters.items())),
            tuple(sorted((name, repr(value)) for name, value in (self.defaults or {}).items())),
            append_unknown,
        )
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    shared.original = compile_builder
    Rule._compile_builder = shared


_share_url_builders()


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test run; fails instead of skipping when required."""
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("CRISISDESK_REQUIRE_POSTGRES=1 but CRISISDESK_TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL not configured (set CRISISDESK_TEST_DATABASE_URL)")
    try:
        url = create_pg_database(PG_URL)
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no PostgreSQL here"
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL required but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    yield url
    drop_pg_database(PG_URL, url)


def make_test_config(tmp_path, database_url: str, **extra) -> dict:
    """The configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PASSWORD_MIN_LENGTH": 12,
        # still scrypt, with a small work factor: the suite hashes thousands of passwords
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }
    config.update(extra)
    return config


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    Without this, requests would share the test's `g` and database session (Flask reuses
    an app context that is already pushed), hiding bugs such as a cached signed-in user.
    """

    def open(self, *args, **kwargs):
        environ = kwargs.setdefault("environ_base", {})
        environ.setdefault(
            "HTTP_ACCEPT_LANGUAGE", "en"
        )  # tests read English; German is tested on purpose
        with self.application.app_context():
            return super().open(*args, **kwargs)


def build_app(request, tmp_path, **extra):
    """Create an app on the backend the test is parametrised with, tables made, head row set."""
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        database_url = request.getfixturevalue("pg_database_url")
    else:
        database_url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app(make_test_config(tmp_path, database_url, **extra))
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = IsolatedClient
    with app.app_context():
        if backend != "postgres" or database_url not in _PG_SCHEMAS:
            db.create_all()
            if backend == "postgres":
                _PG_SCHEMAS.add(database_url)
    return app


#: PostgreSQL databases whose tables exist; later tests empty them instead of rebuilding
#: (much faster)
_PG_SCHEMAS: set[str] = set()


def dispose_app(app) -> None:
    """Empty (PostgreSQL) or drop (SQLite) every table so the next test starts clean."""
    readcache.close(app)
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                empty_postgres(conn)
        else:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    app = build_app(request, tmp_path)
    with app.app_context():
        yield app
    dispose_app(app)


@pytest.fixture(params=BACKENDS)
def csrf_app(request, tmp_path):
    """An app with CSRF protection on, as in production."""
    app = build_app(request, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
    dispose_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def clock():
    """The desk's clock, frozen at FIXED_NOW; move it with clock.advance(minutes=…)."""
    desk_clock.freeze(FIXED_NOW)
    yield desk_clock
    desk_clock.unfreeze()


@pytest.fixture
def make_user():
    """Factory: make_user("name", roles=["oncall"]) → User with password PASSWORD.

    The user is made in the app in context.
    """
    from crisisdesk.accounts import service

    def factory(username: str | None = None, roles=("oncall",), **kwargs):
        username = username or f"user{uuid.uuid4().hex[:8]}"
        kwargs.setdefault("password", PASSWORD)
        kwargs.setdefault("language", "en")
        return service.create_user(username, roles=list(roles), **kwargs)

    return factory


@pytest.fixture
def token_for():
    """Factory: token_for(user) → Authorization headers for the API."""
    from crisisdesk.accounts import tokens

    def factory(user) -> dict:
        _row, secret = tokens.create_token(user, "test")
        return {"Authorization": f"Bearer {secret}"}

    return factory


def run_together(app, count: int, work, timeout: float = 120) -> tuple[list, list]:
    """Run work(index) in `count` threads, each in its own app context.

    A barrier releases the threads at once. Returns (results, errors): what the calls returned
    and what they raised, for the caller to assert.
    """
    barrier, results, errors = threading.Barrier(count), [], []

    def target(index):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(work(index))
            except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def free_port() -> int:
    """A loopback port nobody listens on (servers given port 0 cannot always say which they got)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real form (CSRF off in the default test app)."""
    return client.post("/login", data={"username": username, "password": password})


def signed_in_client(app, username: str, password: str = PASSWORD):
    """A new client of `app` signed in through the real form, with its CSRF token when on."""
    client = app.test_client()
    token = csrf_token_from(client.get("/login").data)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def csrf_token_from(html: bytes | str) -> str:
    """Pull the CSRF token out of a rendered form."""
    if isinstance(html, bytes):
        html = html.decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


#: the bar's "N waiting for you" link: the reader's own, and it moves with the clock (steps fall
#: due), so pages compared for what they keep leave it out
WAITING_COUNT = re.compile(r'\n *<a class="[^"]*waiting-count[^"]*"[^>]*>[^<]*</a>')


def without_waiting_count(html: str) -> str:
    """The page without the navigation bar's waiting count."""
    return WAITING_COUNT.sub("", html)
