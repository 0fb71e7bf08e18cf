"""Plain values every service checks the same way: free text, calendar days and past moments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from . import clock
from .errors import Invalid

#: clocks of phones and monitoring tools drift; a minute ahead is still "now"
CLOCK_SKEW = timedelta(seconds=60)


def text(value, field: str, maximum: int, required: bool = False) -> str:
    """Free text up to `maximum` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid("not_text", _("%(field)s must be text.", field=field), field=field)
    value = value.strip()
    if required and not value:
        raise Invalid("empty", _("Please write something."), field=field)
    if len(value) > maximum:
        raise Invalid(
            "too_long", _("This can have at most %(n)d characters.", n=maximum), field=field
        )
    return value


def moment(value, field: str) -> datetime | None:
    """A past or present moment with a time zone; None if not given."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            value = None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise Invalid(
            "bad_time",
            _("Give a date and time with a time zone, e.g. 2026-11-29T10:15:00Z."),
            field=field,
        )
    now = clock.now()
    if value > now + CLOCK_SKEW:
        raise Invalid("future_time", _("This time lies in the future."), field=field)
    if value < now - timedelta(days=366):
        raise Invalid("old_time", _("This time lies more than a year back."), field=field)
    return value


def iso_day(value) -> date | None | bool:
    """A YYYY-MM-DD day; None for no value; False for anything else (the caller says why)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        return date.fromisoformat(value)
    except ValueError:
        return False
