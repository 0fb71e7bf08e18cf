"""Page parts everyone allowed to see them shares: rendered once, the CSRF token filled in per request.

A part is rendered with a hole where each form's CSRF token goes; serving it puts the
requesting session's token into the hole. The hole is unguessable and never leaves the
server, so no user text can contain it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

_TOKEN_HOLE = "csrf-hole-" + secrets.token_urlsafe(24)


def render_shared(template: str, **context) -> str:
    """Render a part whose forms carry the hole, not this session's CSRF token.

    The template must import its macros `with context`, so that csrf_field() sees the hole;
    one that reaches for the session's token anyway is refused rather than shared.
    """
    token = generate_csrf()
    html = render_template(template, csrf_token=lambda: _TOKEN_HOLE, **context)
    if token in html:
        raise RuntimeError(f"{template} put this session's CSRF token into a part others are shown")
    return html


def fill_token(html: str) -> Markup:
    """The shared part with this session's CSRF token in every form (the part was autoescaped when rendered)."""
    return Markup(html.replace(_TOKEN_HOLE, generate_csrf()))


@dataclass(frozen=True)
class TimedPart:
    """A shared part that the clock alone makes stale at `valid_until` (None: only the desk changes it)."""

    html: str
    valid_until: datetime | None

    def fresh(self, now: datetime) -> bool:
        """Whether the part still says what a rendering at `now` would say."""
        return self.valid_until is None or now < self.valid_until
