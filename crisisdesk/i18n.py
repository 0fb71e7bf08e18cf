"""Language and time-zone selection, and the date filters templates use."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user


def select_locale() -> str:
    """Pick the user's language: their profile, then the switcher, then the browser."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Pick the user's time zone, else the desk's."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return current_app.config["TIMEZONE"]


def localtime(value: datetime | None, style: str = "medium") -> str:
    """Format a UTC datetime in the user's zone and language."""
    if value is None:
        return ""
    return format_datetime(value, style)


def localdate(value: date | None, style: str = "medium") -> str:
    """Format a calendar date in the user's language."""
    return format_date(value, style) if value is not None else ""


ROLE_LABELS = {
    "oncall": _l("On call"), "legal": _l("Legal"), "management": _l("Management"), "admin": _l("Administrator"),
    "lead": _l("Lead"), "spokesperson": _l("Spokesperson"), "legal_reviewer": _l("Legal reviewer"),
    "management_sponsor": _l("Management sponsor"), "scribe": _l("Scribe"),
}


def role_label(role: str) -> str:
    """Name a user role or incident role in the user's language."""
    return str(ROLE_LABELS.get(role, role))


def register_template_helpers(app: Flask) -> None:
    """Make the formatting helpers available in templates."""
    from .library.channels import label as channel_label

    app.add_template_filter(localtime)
    app.add_template_filter(localdate)
    app.add_template_filter(role_label)
    app.add_template_filter(channel_label, "channel_label")
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
