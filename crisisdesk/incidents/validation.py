"""Checks on incident input shared by the HTML forms and the API (through the services)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from .. import clock
from ..channels import CHANNELS
from ..errors import Invalid
from ..parsing import plain_int

TITLE_MAX, SUMMARY_MAX, NOTE_MAX, URL_MAX, LINKS_MAX = 200, 5000, 5000, 2000, 20
#: clocks of phones and monitoring tools drift; a minute ahead is still "now"
CLOCK_SKEW = timedelta(seconds=60)


def title(value) -> str:
    """A non-empty single-line title of at most 200 characters."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid("empty_title", _("Give the incident a title."), field="title")
    value = " ".join(value.split())
    if len(value) > TITLE_MAX:
        raise Invalid(
            "long_title",
            _("The title can have at most %(n)d characters.", n=TITLE_MAX),
            field="title",
        )
    return value


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


def severity(value) -> int:
    """An integer 1 (crisis) … 4 (watch)."""
    if isinstance(value, str) and plain_int(value.strip()) is not None:
        value = plain_int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise Invalid(
            "bad_severity",
            _("Severity is a number from 1 (crisis) to 4 (watch)."),
            field="severity",
        )
    return value


def channels(value) -> list[str]:
    """Known channel names, no duplicates."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(
            "bad_channels", _("channels must be a list of channel names."), field="channels"
        )
    unknown = sorted(set(value) - set(CHANNELS))
    if unknown:
        raise Invalid(
            "bad_channels",
            _("Unknown channel: %(names)s.", names=", ".join(unknown)[:200]),
            field="channels",
        )
    return sorted(set(value), key=CHANNELS.index)


def url(value, field: str = "url") -> str:
    """An http(s) address."""
    if not isinstance(value, str):
        raise Invalid("bad_url", _("Give an http(s) address."), field=field)
    value = value.strip()
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or len(value) > URL_MAX
        or any(ch.isspace() or ord(ch) < 32 for ch in value)
    ):
        raise Invalid("bad_url", _("Give an http(s) address."), field=field)
    return value


def urls(value, field: str = "source_links") -> list[str]:
    """Up to 20 http(s) addresses."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > LINKS_MAX:
        raise Invalid("bad_urls", _("Give at most %(n)d addresses.", n=LINKS_MAX), field=field)
    return list(dict.fromkeys(url(item, field) for item in value))


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


def dump_channels(names: list[str]) -> str:
    """Store a channel list."""
    return json.dumps(names)


def load_channels(stored: str) -> list[str]:
    """Read a stored channel list."""
    return json.loads(stored or "[]")
