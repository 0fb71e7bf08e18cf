"""Small helpers the HTML views share."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from .errors import DomainError, Invalid
from .parsing import plain_int  # noqa: F401 - the views' helpers, in one import


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def safe_next(target: str | None, fallback_endpoint: str = "incidents.board") -> str:
    """Return `target` if it is a path on this site, else the fallback (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and all(ord(ch) >= 32 for ch in target):
            return target
    return url_for(fallback_endpoint)


def client_address() -> str:
    """The caller's address (ProxyFix makes this the real client behind one proxy)."""
    return request.remote_addr or "unknown"


def show_error(form: FlaskForm | None, exc: DomainError) -> None:
    """Put a service's refusal on the form field it names, or flash it (403, 404: error pages)."""
    if exc.status in (403, 404):
        raise exc  # "not allowed" or "not there" is not something a form can fix
    field = getattr(form, exc.field, None) if form is not None and exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "danger")


def local_moment(value: str | None, field: str, zone: str):
    """Read a datetime-local form field as a time in the user's zone; None when empty."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("bad_time", _("Give a date and time."), field=field) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))
