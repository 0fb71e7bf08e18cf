"""Publication channels, their length limits, their text format and how platforms count it."""

import re

from .channel_catalogue import (
    AUDIENCE_LABELS,
    DOCUMENT_FORMATS,
    INTERNAL_AUDIENCES,
    current,
    label_text,
)
from .channel_catalogue import SOCIAL as SOCIAL
from .plaintext import markdown_to_plain

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


def names() -> tuple[str, ...]:
    """Every channel of this desk, in display order (built in, then configured)."""
    return tuple(current().channels)


def audiences() -> tuple[str, ...]:
    """Every audience a text can be for."""
    return tuple(current().audiences)


def channels_for(audience: str) -> tuple[str, ...]:
    """The channels that reach `audience` (none for an unknown one)."""
    return current().audiences.get(audience, ())


def audiences_of(channel: str) -> tuple[str, ...]:
    """The audiences `channel` reaches, in the catalogue's order."""
    return tuple(a for a, reached in current().audiences.items() if channel in reached)


def is_internal(audience: str) -> bool:
    """True for the bank's own people (staff, branches, service centre)."""
    return audience in INTERNAL_AUDIENCES


def limit(channel: str) -> int | None:
    """Return the channel's character limit, or None."""
    known = current().channels.get(channel)
    return known.limit if known else None


def text_format(channel: str) -> str:
    """Return the channel's format: "plain", "markdown" or "html_email"."""
    known = current().channels.get(channel)
    return known.format if known else "plain"


def is_document(channel: str) -> bool:
    """True when the channel takes a Markdown document the desk renders (web page, e-mail, …)."""
    return text_format(channel) in DOCUMENT_FORMATS


def as_posted(channel: str, markdown_text: str) -> str:
    """Return a statement's Markdown as the platform shows it (Markdown channels: as is)."""
    if is_document(channel):
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
    known = current().channels.get(channel)
    return label_text(known) if known else channel


def audience_label(audience: str) -> str:
    """Return the audience's name for people."""
    return str(AUDIENCE_LABELS.get(audience, audience))
