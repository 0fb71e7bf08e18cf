"""Browser fixtures: Debian's Chromium driven by Playwright against a live server thread."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from crisisdesk import create_app
from crisisdesk.extensions import db

from ..conftest import dispose_app, make_test_config

CHROMIUM = "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("CRISISDESK_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}


def page_width(page) -> int:
    """The page's scroll width once its stylesheets apply.

    A check run right after a navigation can otherwise measure the layout before desk.css
    (which wraps long words) has loaded: the `load` event waits for it.
    """
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Launch Debian's Chromium (Playwright's own browser download is not available here)."""
    if not Path(CHROMIUM).exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"CRISISDESK_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    """Every page is a phone: the desk is used on one at night."""
    return {**browser_context_args, "viewport": PHONE, "locale": "en-GB"}


@contextmanager
def serving(tmp_path, **config):
    """Serve a real app (CSRF on, SQLite file) on a free port in a thread while in the block."""
    app = create_app(
        make_test_config(
            tmp_path,
            f"sqlite:///{tmp_path / 'live.sqlite'}",
            WTF_CSRF_ENABLED=True,
            TESTING=False,
            **config,
        )
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        dispose_app(app)


def create_demo_users(app) -> str:
    """Create the demo users through the real CLI command; return its output."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def live_server(tmp_path):
    """A live server for one test."""
    with serving(tmp_path) as server:
        yield server


@pytest.fixture
def demo_users(live_server):
    """Create the demo users through the real CLI command."""
    return create_demo_users(live_server.app)
