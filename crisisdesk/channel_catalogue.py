"""The channels a bank speaks on and the audiences they reach: built in, extended by configuration.

A bank adds or adjusts a channel without code: CHANNELS_EXTRA (JSON in CRISISDESK_CHANNELS_EXTRA)
maps a channel's name to {label, format, limit, audiences}; a name already built in changes only
what the entry gives (a Mastodon instance that allows 5,000 characters sets "limit": 5000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

#: how a channel takes its text: a post shown as typed, a document the desk renders (web page,
#: press release, printed notice, intranet article), or an e-mail sent as HTML
FORMATS = ("plain", "markdown", "html_email")
#: formats whose text is a Markdown document (rendered, not shown as typed)
DOCUMENT_FORMATS = frozenset({"markdown", "html_email"})
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,19}$")


@dataclass(frozen=True)
class Channel:
    """One channel: its name, how its text is written, how long it may be, what people call it."""

    name: str
    format: str
    limit: int | None  #: characters a text may have; None: no hard limit
    label: object  #: a lazy translated string, or {"de": …, "en": …} from configuration


@dataclass(frozen=True)
class Catalogue:
    """Every channel in display order, and the channels each audience is reached on."""

    channels: dict[str, Channel]
    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)


# fmt: off
BUILTIN_CHANNELS = (
    Channel("sms", "plain", 160, _l("SMS")),
    Channel("x", "plain", 280, _l("X")),
    Channel("instagram", "plain", 2200, _l("Instagram")),
    Channel("linkedin", "plain", 3000, _l("LinkedIn")),
    Channel("xing", "plain", 3000, _l("XING")),
    Channel("facebook", "plain", 63206, _l("Facebook")),
    Channel("tiktok", "plain", 4000, _l("TikTok")),
    Channel("youtube", "plain", 5000, _l("YouTube")),  # a community post or a description
    Channel("threads", "plain", 500, _l("Threads")),
    Channel("mastodon", "plain", 500, _l("Mastodon")),  # the common instance setting
    Channel("whatsapp", "plain", 4096, _l("WhatsApp channel")),
    Channel("app_push", "plain", 178, _l("App push")),  # what a phone's lock screen shows
    Channel("website", "markdown", None, _l("Website")),
    Channel("press", "markdown", None, _l("Press release")),
    Channel("branch_notice", "markdown", None, _l("Branch notice")),
    Channel("letter", "markdown", None, _l("Letter")),
    Channel("email", "plain", None, _l("E-mail")),
    Channel("newsletter", "html_email", None, _l("Newsletter")),
    Channel("intranet", "markdown", None, _l("Intranet")),
    Channel("staff_email", "html_email", None, _l("Staff e-mail")),
    Channel("service_script", "markdown", None, _l("Service centre script")),
)
# fmt: on
SOCIAL = (
    "x",
    "instagram",
    "linkedin",
    "xing",
    "facebook",
    "tiktok",
    "youtube",
    "threads",
    "mastodon",
    "whatsapp",
)  # fmt: skip
#: who a text is for, and the channels that reach them: a text for the people a data breach
#: affects must not go out on the website, where it would tell every visitor their data leaked
BUILTIN_AUDIENCES = {
    "public": (*SOCIAL, "website", "branch_notice"),
    "commenter": SOCIAL,  #: a public reply to one person, where banking secrecy binds every word
    "customers": ("sms", "email", "letter", "newsletter", "app_push"),
    "affected": ("letter", "email"),
    "press": ("press", "website"),
    "members": ("letter", "email", "website", "newsletter"),
    "staff": ("intranet", "staff_email", "email"),
    "branches": ("intranet", "staff_email"),
    "service_centre": ("service_script", "intranet", "staff_email"),
    "authorities": ("letter", "email"),
    "platform": ("letter", "email"),
}
#: the bank's own people: told before the public when a playbook says so
INTERNAL_AUDIENCES = ("staff", "branches", "service_centre")
AUDIENCE_LABELS = {
    "public": _l("Public"),
    "commenter": _l("Reply to one person in public"),
    "customers": _l("All customers"),
    "affected": _l("People affected"),
    "press": _l("Press"),
    "members": _l("Members and representatives"),
    "staff": _l("Staff (all)"),
    "branches": _l("Branches"),
    "service_centre": _l("Service centre"),
    "authorities": _l("Supervisors and authorities"),
    "platform": _l("Platform"),
}
BUILTIN = Catalogue(
    {channel.name: channel for channel in BUILTIN_CHANNELS}, dict(BUILTIN_AUDIENCES)
)


class CatalogueError(ValueError):
    """CHANNELS_EXTRA names a channel, format, limit or audience the desk cannot use."""


def build(extra: dict | None) -> Catalogue:
    """The built-in catalogue with the configured channels added or adjusted (CatalogueError)."""
    if not extra:
        return BUILTIN
    if not isinstance(extra, dict):
        raise CatalogueError("CHANNELS_EXTRA must map channel names to their settings")
    channels, audiences = dict(BUILTIN.channels), {k: list(v) for k, v in BUILTIN.audiences.items()}
    for name, settings in extra.items():
        channels[name] = _configured(name, settings, channels.get(name))
        for audience in settings.get("audiences", ()):
            if audience not in audiences:
                raise CatalogueError(f"channel {name}: unknown audience {audience!r}")
            if name not in audiences[audience]:
                audiences[audience].append(name)
    return Catalogue(channels, {k: tuple(v) for k, v in audiences.items()})


def _configured(name: str, settings, known: Channel | None) -> Channel:
    if not isinstance(name, str) or not _NAME.match(name):
        raise CatalogueError(f"channel name {name!r}: 2-20 lower-case letters, digits or _")
    if not isinstance(settings, dict):
        raise CatalogueError(f"channel {name}: settings must be an object")
    unknown = set(settings) - {"label", "format", "limit", "audiences"}
    if unknown:
        raise CatalogueError(f"channel {name}: unknown settings {sorted(unknown)}")
    format = settings.get("format", known.format if known else "plain")
    if format not in FORMATS:
        raise CatalogueError(f"channel {name}: format must be one of {', '.join(FORMATS)}")
    limit = settings.get("limit", known.limit if known else None)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise CatalogueError(f"channel {name}: limit must be a positive whole number or null")
    label = settings.get("label", known.label if known else None)
    if isinstance(label, str):
        label = {"de": label, "en": label}
    if not (
        label is not None
        and (
            not isinstance(label, dict) or all(isinstance(label.get(k), str) for k in ("de", "en"))
        )
    ):
        raise CatalogueError(f"channel {name}: label must be text or {{'de': …, 'en': …}}")
    if not isinstance(settings.get("audiences", []), list):
        raise CatalogueError(f"channel {name}: audiences must be a list")
    return Channel(name, format, limit, label)


def init_app(app) -> None:
    """Build the app's catalogue once, at start, so a configuration mistake stops the start."""
    app.extensions["crisisdesk.channels"] = build(app.config.get("CHANNELS_EXTRA"))


def current() -> Catalogue:
    """The catalogue of the app in context (the built-in one outside an app)."""
    if has_app_context():
        return current_app.extensions.get("crisisdesk.channels", BUILTIN)
    return BUILTIN


def label_text(channel: Channel) -> str:
    """The channel's name in the reader's language."""
    if isinstance(channel.label, dict):
        locale = get_locale() if has_app_context() else None
        return channel.label.get(getattr(locale, "language", "en"), channel.label["en"])
    return str(channel.label)
