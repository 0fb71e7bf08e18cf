"""Checks on incident input shared by the HTML forms and the API (through the services)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ..channels import names
from ..errors import Invalid
from ..parsing import plain_int
from ..values import moment, text  # noqa: F401 - the incident checks are the shared ones

TITLE_MAX, SUMMARY_MAX, NOTE_MAX, URL_MAX, LINKS_MAX = 200, 5000, 5000, 2000, 20


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
    known = names()
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise Invalid(
            "bad_channels",
            _("Unknown channel: %(names)s.", names=", ".join(unknown)[:200]),
            field="channels",
        )
    return sorted(set(value), key=known.index)


def url(value, field: str = "url") -> str:
    """An http(s) address."""
    if not isinstance(value, str):
        raise Invalid("bad_url", _("Give an http(s) address."), field=field)
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. a "[" or "]" around no valid IPv6 address
        raise Invalid("bad_url", _("Give an http(s) address."), field=field) from None
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


def dump_channels(names: list[str]) -> str:
    """Store a channel list."""
    return json.dumps(names)


def load_channels(stored: str) -> list[str]:
    """Read a stored channel list."""
    return json.loads(stored or "[]")
