"""Publication channels, their length limits and how their text is rendered."""

from flask_babel import lazy_gettext as _l

#: characters a post may have; None: no hard limit
LIMITS = {
    "sms": 160,
    "x": 280,
    "instagram": 2200,
    "linkedin": 3000,
    "xing": 3000,
    "facebook": 63206,
    "website": None,
    "press": None,
    "branch_notice": None,
}
CHANNELS = tuple(LIMITS)
#: channels whose text is a Markdown document; the others are plain text posts
MARKDOWN_CHANNELS = frozenset({"website", "press", "branch_notice"})

LABELS = {
    "sms": _l("SMS"),
    "x": _l("X"),
    "instagram": _l("Instagram"),
    "linkedin": _l("LinkedIn"),
    "xing": _l("XING"),
    "facebook": _l("Facebook"),
    "website": _l("Website"),
    "press": _l("Press"),
    "branch_notice": _l("Branch notice"),
}


def limit(channel: str) -> int | None:
    """Return the channel's character limit, or None."""
    return LIMITS.get(channel)


def label(channel: str) -> str:
    """Return the channel's name for people."""
    return str(LABELS.get(channel, channel))
