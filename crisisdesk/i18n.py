"""Language and time-zone selection, and the formatting helpers templates and services use."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app, g, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_timedelta,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user


def select_locale() -> str:
    """Pick the user's language: their profile, then the switcher, then the browser."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    api_user = g.get("api_principal")
    if api_user is not None and api_user.language in languages:
        return api_user.language
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    """Pick the user's time zone, else the desk's."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return current_app.config["TIMEZONE"]


#: numeric, unambiguous and fast (pages show hundreds of times; Babel's formatter is the slow part)
TIME_PATTERNS = {
    ("de", "short"): "%d.%m.%Y %H:%M",
    ("de", "medium"): "%d.%m.%Y %H:%M:%S",
    ("en", "short"): "%Y-%m-%d %H:%M",
    ("en", "medium"): "%Y-%m-%d %H:%M:%S",
    # the value of a datetime-local input, in the reader's zone
    ("de", "input"): "%Y-%m-%dT%H:%M",
    ("en", "input"): "%Y-%m-%dT%H:%M",
}


def localtime(value: datetime | None, style: str = "medium") -> str:
    """Format a UTC datetime in the user's zone and language."""
    if value is None:
        return ""
    zone, language = _zone_and_language()
    pattern = TIME_PATTERNS.get((language, style))
    if pattern is None:
        return format_datetime(value, style)
    return value.astimezone(zone).strftime(pattern)


def _zone_and_language():
    locale = get_locale()
    cached = g.get("_desk_zone")
    if cached is None or cached[0] is not locale:
        cached = g._desk_zone = (locale, get_timezone(), str(locale or "de")[:2])
    return cached[1], cached[2]


def _translations():
    """The request's translations, looked up once (force_locale() changes the locale object)."""
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    cached = g.get("_desk_translations")
    if cached is None or locale is None or cached[0] is not locale:
        translations = get_translations()
        context = g.get("_flask_babel")
        cached = g._desk_translations = (getattr(context, "babel_locale", None), translations)
    return cached[1]


def template_gettext(message: str) -> str:
    """gettext for templates (Jinja applies the %(name)s values)."""
    return _translations().ugettext(message)


def template_ngettext(singular: str, plural: str, count: int) -> str:
    """ngettext for templates."""
    return _translations().ungettext(singular, plural, count)


def localdate(value: date | None, style: str = "medium") -> str:
    """Format a calendar date in the user's language."""
    return format_date(value, style) if value is not None else ""


ROLE_LABELS = {
    "oncall": _l("On call"),
    "legal": _l("Legal"),
    "management": _l("Management"),
    "compliance": _l("Compliance"),
    "infosec": _l("Information security"),
    "dpo": _l("Data protection officer"),
    "hr": _l("Human resources"),
    "admin": _l("Administrator"),
    "lead": _l("Lead"),
    "spokesperson": _l("Spokesperson"),
    "legal_reviewer": _l("Legal reviewer"),
    "management_sponsor": _l("Management sponsor"),
    "scribe": _l("Scribe"),
}


PHASE_LABELS = {
    "first-15-minutes": _l("First 15 minutes"),
    "first-hour": _l("First hour"),
    "first-day": _l("First day"),
    "after": _l("Afterwards"),
}


def phase_label(phase: str) -> str:
    """Name a checklist phase in the user's language ('' for items without one)."""
    return str(PHASE_LABELS[phase]) if phase in PHASE_LABELS else ""


def role_label(role: str) -> str:
    """Name a user role or incident role in the user's language."""
    return str(ROLE_LABELS.get(role, role))


STATUS_LABELS = {
    "open": _l("open"),
    "monitoring": _l("monitoring"),
    "resolved": _l("resolved"),
    "closed": _l("closed"),
}
#: the buttons that move an incident to a status
STATUS_MOVE_LABELS = {
    "open": _l("Reopen"),
    "monitoring": _l("Move to monitoring"),
    "resolved": _l("Mark as resolved"),
    "closed": _l("Close the incident"),
}
STEP_STATUS_LABELS = {
    "pending": _l("pending"),
    "notified": _l("notified"),
    "acknowledged": _l("acknowledged"),
    "cancelled": _l("cancelled"),
}


RESPONSE_STATUS_LABELS = {
    "draft": _l("draft"),
    "preapproved": _l("pre-approved"),
    "pending_legal": _l("waiting for legal"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "published": _l("published"),
}


def response_status_label(status: str) -> str:
    """Name a response status in the user's language."""
    return str(RESPONSE_STATUS_LABELS.get(status, status))


NOTIFICATION_LABELS = {
    "escalation": _l("Escalation step due for your role"),
    "incident_opened": _l("Severity 1 incident opened"),
    "review": _l("A response awaits your review"),
    "review_result": _l("Legal decided on your response"),
    "assigned": _l("Assigned to you"),
    "reminder": _l("No public update within the cadence"),
    "regulatory": _l("A report to an authority falls due"),
    "drill": _l("DRILL: something new arrived in the exercise"),
}


def notification_label(kind: str) -> str:
    """Name a kind of notification in the user's language."""
    return str(NOTIFICATION_LABELS.get(kind, kind))


#: reports to authorities, which are also the names of their clocks
REPORT_LABELS = {
    "dora_initial": _l("DORA initial notification"),
    "dora_intermediate": _l("DORA intermediate report"),
    "dora_final": _l("DORA final report"),
    "dora_reclassification": _l("DORA reclassification as not major"),
    "gdpr_art33": _l("GDPR notification to the data-protection authority"),
}
DECISION_LABELS = {
    "major": _l("major ICT-related incident"),
    "not_major": _l("not major"),
    "not_ict": _l("not an ICT-related incident"),
}
CLOCK_STATUS_LABELS = {
    "running": _l("running"),
    "met": _l("met"),
    "overdue": _l("overdue"),
    "stopped": _l("stopped"),
}


def report_label(kind: str) -> str:
    """Name a report to an authority (and its clock) in the user's language."""
    return str(REPORT_LABELS.get(kind, kind))


def decision_label(decision: str | None) -> str:
    """Name a DORA classification decision in the user's language."""
    return str(DECISION_LABELS.get(decision or "", _l("not assessed yet")))


def clock_status_label(status: str) -> str:
    """Name a regulatory clock's status in the user's language."""
    return str(CLOCK_STATUS_LABELS.get(status, status))


def status_label(status: str) -> str:
    """Name an incident status in the user's language."""
    return str(STATUS_LABELS.get(status, status))


def status_move_label(status: str) -> str:
    """Name the button that moves an incident to `status`."""
    return str(STATUS_MOVE_LABELS.get(status, status))


def step_status_label(status: str) -> str:
    """Name an escalation step's status in the user's language."""
    return str(STEP_STATUS_LABELS.get(status, status))


def until(due: datetime, now: datetime) -> str:
    """'in 14 minutes' or 'overdue by 3 minutes'."""
    if due > now:
        return _("in %(d)s", d=format_timedelta(due - now, threshold=1.5))
    return _("overdue by %(d)s", d=format_timedelta(now - due, threshold=1.5))


def seconds_text(seconds: int) -> str:
    """A duration in seconds as '4 minutes' in the user's language."""
    return format_timedelta(timedelta(seconds=seconds), threshold=1.5)


def since(start: datetime, now: datetime) -> str:
    """How long ago, e.g. '2 hours'."""
    return format_timedelta(now - start, threshold=1.5)
