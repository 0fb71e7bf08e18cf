"""Page parts shared by every reader with the same key: the one way to keep rendered HTML.

shared_part() keys a part by its name, template, declared inputs, the language, the zone, the
reader's audience (what they may do on the object, decided by the caller from the service
layer's permission functions after checking that they may read it) and the heads of the scopes
it reads (readcache). It renders the template in an environment of its own: no current_user,
request, session, g, flashed messages or clock helpers are in reach, undefined names fail, and
the reader is hidden while the context is built, so a part that depends on who reads it or on
the time fails when rendered instead of being shown to the wrong person. Every form's CSRF
token is a hole, filled with the session's token each time the part is served. Relative times
are the browser's (static/js/desk.js reads <time datetime>).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, g
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from .readcache import remembered

_TOKEN_HOLE = "csrf-hole-" + secrets.token_urlsafe(24)
_EXTENSION = "crisisdesk.shared_parts"

#: the app's template globals a part may use: nothing that knows the reader, the request or the time
ALLOWED_GLOBALS = frozenset(
    {
        # Jinja's own
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        # translation (the language is part of every key)
        "_",
        "gettext",
        "ngettext",
        "pgettext",
        "npgettext",
        "raw_gettext",
        "current_locale",
        "status_label",
        "status_move_label",
        "report_label",
        "decision_label",
        "clock_status_label",
        "step_status_label",
        "response_status_label",
        "notification_label",
        # markup helpers
        "url_for",
        "bootstrap",
        "bootstrap_is_hidden_field",
        "get_table_titles",
        "raise",
        "warn",
    }
)
#: filters that read the clock
CLOCK_FILTERS = frozenset({"until", "since"})


class ReaderHidden(RuntimeError):
    """A shared part reached for the user reading it."""


class _NoReader:
    """Stands in for current_user while a shared part is built: any use of it fails."""

    def _refuse(self, *_args, **_kwargs):
        raise ReaderHidden("a shared part cannot depend on who reads it: use its audience")

    __getattr__ = __bool__ = __eq__ = __hash__ = __str__ = _refuse


_NO_READER = _NoReader()


def part_environment() -> Environment:
    """The app's Jinja environment as shared parts see it (made once per app)."""
    env = current_app.extensions.get(_EXTENSION)
    if env is None:
        env = current_app.jinja_env.overlay(undefined=StrictUndefined, cache_size=400)
        env.globals = {
            name: value for name, value in env.globals.items() if name in ALLOWED_GLOBALS
        }
        env.globals["csrf_token"] = lambda: _TOKEN_HOLE
        env.filters = {
            name: value for name, value in env.filters.items() if name not in CLOCK_FILTERS
        }
        current_app.extensions[_EXTENSION] = env
    return env


@contextmanager
def _reader_hidden() -> Iterator[None]:
    """Let current_user fail while a part's context is built and rendered."""
    missing = object()
    saved = g.get("_login_user", missing)
    g._login_user = _NO_READER
    try:
        yield
    finally:
        if saved is missing:
            g.pop("_login_user", None)
        else:
            g._login_user = saved


def _render(template: str, values: dict) -> str:
    return part_environment().get_template(template).render(values)


def _served(html: str) -> Markup:
    """The part with this session's CSRF token in its forms (it was autoescaped when rendered)."""
    return Markup(html.replace(_TOKEN_HOLE, generate_csrf()) if _TOKEN_HOLE in html else html)


def shared_part(
    name: str,
    template: str,
    *,
    inputs: dict,
    audience: frozenset[str],
    scopes: tuple[str, ...],
    context: Callable[[], dict],
) -> Markup:
    """The part `name` rendered from `template`, kept for every reader with the same key.

    `inputs` are everything from the request the part depends on (hashable values; the template
    sees them too), `audience` what this reader may do there (the template tests
    `"…" in audience`), `scopes` what context() reads (timeline/scopes.py). context() builds the
    template's values from the inputs and the database alone.
    """
    key = (
        f"part:{name}",
        template,
        tuple(sorted(inputs.items())),
        str(get_locale()),
        str(get_timezone()),
        tuple(sorted(audience)),
    )

    def build() -> str:
        with _reader_hidden():
            return _render(template, {**inputs, **context(), "audience": audience})

    return _served(remembered(key, build, scopes=scopes))


def render_part(template: str, **values) -> Markup:
    """Render a part template as shared parts are rendered, for this request only (never kept)."""
    with _reader_hidden():
        return _served(_render(template, values))
