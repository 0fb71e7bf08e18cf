"""Publication channels, their length limits, their text format and how platforms count it."""

import re

from flask_babel import lazy_gettext as _l

from .plaintext import markdown_to_plain

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
    "letter": None,
    "email": None,
    "intranet": None,
}
CHANNELS = tuple(LIMITS)
#: what each channel takes: "markdown", a document the desk renders (a web page, a press release,
#: a notice printed for the branch), or "plain", a post the platform shows as typed
FORMATS = {
    "sms": "plain",
    "x": "plain",
    "instagram": "plain",
    "linkedin": "plain",
    "xing": "plain",
    "facebook": "plain",
    "website": "markdown",
    "press": "markdown",
    "branch_notice": "markdown",
    "letter": "markdown",
    "email": "plain",
    "intranet": "markdown",
}
MARKDOWN_CHANNELS = frozenset(channel for channel, kind in FORMATS.items() if kind == "markdown")
#: X counts every link as this many characters, however long the address is
X_LINK_LENGTH = 23
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: what X counts as a link: http(s) and www. addresses and bare domains such as bank.example/path;
#: a bare domain needs a lower-case ending of two letters or more, so "z.B." or "14.30" stay text
#: (without the list of real endings X uses, "Uhr.Bitte" stays text, "file.txt" counts as a link)
LINK = re.compile(
    r"(?<![\w@.\-/])(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?<![\w@.\-/:]){_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,63}}(?![\w@-])(?:[/?#][^\s<>\"]*)?"
)
#: punctuation that ends the sentence around a link rather than the link
_TRAILING = ".,;:!?'\")]}"

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
    "letter": _l("Letter"),
    "email": _l("E-mail"),
    "intranet": _l("Intranet"),
}
_SOCIAL = ("x", "instagram", "linkedin", "xing", "facebook")
#: who a statement is for, and the channels that reach them: a text for the people a data breach
#: affects must not go out on the website, where it would tell every visitor their data leaked
AUDIENCES = {
    "public": (*_SOCIAL, "website", "branch_notice"),
    "commenter": _SOCIAL,  #: a public reply to one person, where banking secrecy binds every word
    "customers": ("sms", "email", "letter"),
    "affected": ("letter", "email"),
    "press": ("press", "website"),
    "members": ("letter", "email", "website"),
    "staff": ("intranet", "email"),
    "platform": ("letter", "email"),
}
AUDIENCE_LABELS = {
    "public": _l("Public"),
    "commenter": _l("Reply to one person in public"),
    "customers": _l("All customers"),
    "affected": _l("People affected"),
    "press": _l("Press"),
    "members": _l("Members and representatives"),
    "staff": _l("Staff"),
    "platform": _l("Platform"),
}


def limit(channel: str) -> int | None:
    """Return the channel's character limit, or None."""
    return LIMITS.get(channel)


def text_format(channel: str) -> str:
    """Return "markdown" for channels that take a Markdown document, else "plain"."""
    return FORMATS.get(channel, "plain")


def as_posted(channel: str, markdown_text: str) -> str:
    """Return a statement's Markdown as the platform shows it (Markdown channels: as is)."""
    if text_format(channel) == "markdown":
        return markdown_text
    return markdown_to_plain(markdown_text)


def counted_length(channel: str, text: str) -> int:
    """Return the text's length as the channel's platform counts it against its limit."""
    if channel != "x":
        return len(text)
    links = links_in(text)
    return len(text) - sum(len(link) for link in links) + X_LINK_LENGTH * len(links)


def links_in(text: str) -> list[str]:
    """Return the addresses X would count as links, in order."""
    return [_without_trailing_punctuation(match.group(0)) for match in LINK.finditer(text)]


def _without_trailing_punctuation(link: str) -> str:
    while link and link[-1] in _TRAILING:
        if link[-1] == ")" and link.count("(") >= link.count(")"):
            break  # a bracket the address opened itself, as in Wikipedia addresses
        link = link[:-1]
    return link


def label(channel: str) -> str:
    """Return the channel's name for people."""
    return str(LABELS.get(channel, channel))


def audience_label(audience: str) -> str:
    """Return the audience's name for people."""
    return str(AUDIENCE_LABELS.get(audience, audience))
