"""Kept pages are correct by construction: a property test proves it.

Random changes, clock steps, languages and readers (one without access), and after each
change every kind of kept page compared with the same request to an app on the same database
that keeps nothing (CSRF tokens aside).
"""

from __future__ import annotations

import os
import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from crisisdesk import create_app, readcache
from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import tokens
from crisisdesk.errors import DomainError
from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident

from .conftest import (
    BACKENDS,
    PASSWORD,
    IsolatedClient,
    build_app,
    dispose_app,
    login,
    make_test_config,
)
from .kept_page_changes import CHANGES, READERS

TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


KEPT_KINDS = (
    "part:board",
    "part:room",
    "part:postmortem-course",
    "part:postmortem-story",
    "part:postmortem-learned",
    "part:dashboard",
    "incidents",
    "timeline",
    "search",
)
#: words the changes write (titles, notes, the post-mortem), found or not depending on who reads
SEARCHES = [
    "/api/v1/search?q=Hotline",
    "/search?q=Outage",
    "/api/v1/search?q=Hotline+late&limit=1",
]


@pytest.fixture(params=BACKENDS)
def twins(request, tmp_path, clock):
    """Two apps on one database, one keeping answers and one not; every reader signed in to both."""
    lifetime = {"PERMANENT_SESSION_LIFETIME": 60 * 24 * 3600}
    kept = build_app(request, tmp_path, **lifetime)
    plain = create_app(
        make_test_config(
            tmp_path, kept.config["SQLALCHEMY_DATABASE_URI"], READ_CACHE_SIZE=0, **lifetime
        )
    )
    plain.test_client_class = IsolatedClient
    with kept.app_context():
        world = SimpleNamespace(kept=kept, plain=plain, browsers={}, headers={})
        for name, (user_roles, language, zone) in READERS.items():
            user = accounts.create_user(
                name,
                password=PASSWORD,
                roles=user_roles or ["oncall"],
                language=language,
                timezone=zone,
            )
            if not user_roles:
                user = accounts.set_roles(user.id, [])
            world.headers[name] = {"Authorization": f"Bearer {tokens.create_token(user, 't')[1]}"}
            world.browsers[name] = (kept.test_client(), plain.test_client())
            for browser in world.browsers[name]:
                assert login(browser, name).status_code == 302
        yield world
        readcache.close(plain)
        with plain.app_context():
            db.session.remove()
            db.engine.dispose()
    dispose_app(kept)


def _answer(browser, path: str, headers: dict) -> tuple:
    response = browser.get(path, headers=headers if path.startswith("/api/") else {})
    body = response.get_data(as_text=True)
    return response.status_code, response.headers.get("Location"), TOKEN.sub("csrf", body)


def _compare(world, reader: str, path: str) -> None:
    kept_browser, plain_browser = world.browsers[reader]
    headers = world.headers[reader]
    kept, plain = _answer(kept_browser, path, headers), _answer(plain_browser, path, headers)
    assert kept == plain, f"{reader} {path}: the kept page differs from the page without the cache"


def _paths() -> list[str]:
    paths = ["/", "/?status=open", "/?severity=1", "/dashboard", "/dashboard?period=12m"]
    paths += ["/api/v1/incidents", "/api/v1/incidents?limit=2", "/incidents/999999"]
    newest = db.session.scalars(select(Incident.id).order_by(Incident.id.desc()).limit(3))
    for number in newest:
        paths += [
            f"/incidents/{number}",
            f"/incidents/{number}?before=4",
            f"/incidents/{number}/postmortem",
            f"/incidents/{number}/postmortem?show=escalations",
            f"/api/v1/incidents/{number}/timeline",
            f"/api/v1/incidents/{number}/timeline?after=3",
        ]
    return paths + SEARCHES


#: hypothesis examples (each 4–10 changes); CRISISDESK_KEPT_EXAMPLES=200 for a longer hunt
EXAMPLES = int(os.environ.get("CRISISDESK_KEPT_EXAMPLES", "12"))


def test_every_kept_page_is_the_page_without_the_cache(twins):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def changes_and_readers(data):
        # the same readers look after every change, so what was kept before it is compared after it
        viewers = data.draw(
            st.lists(st.sampled_from(list(READERS)), min_size=1, max_size=2, unique=True),
            label="viewers",
        )
        for _step in range(data.draw(st.integers(4, 10), label="steps")):
            change = data.draw(st.sampled_from(CHANGES), label="change")
            try:
                change(twins, data)
            except DomainError:  # refused: nothing changed, or what the refusal records
                pass
            db.session.rollback()
            paths = _paths()
            for reader in viewers:  # one page of each kind that is kept
                for path in paths[:1] + paths[3:4] + paths[5:6] + paths[8:9] + paths[10:11]:
                    _compare(twins, reader, path)
                _compare(twins, reader, paths[12] if len(paths) > 12 else paths[0])
                _compare(twins, reader, SEARCHES[len(paths) % len(SEARCHES)])
            reader = data.draw(st.sampled_from(list(READERS)), label="reader")
            _compare(twins, reader, data.draw(st.sampled_from(paths), label="path"))
        reader = data.draw(st.sampled_from(list(READERS)), label="sweeping reader")
        for path in _paths():
            _compare(twins, reader, path)

    changes_and_readers()
    counts = twins.kept.extensions["crisisdesk.readcache"].counts
    # kept answers were compared, not only fresh ones
    assert all(counts.get(kind, [0])[0] > 0 for kind in KEPT_KINDS), counts
