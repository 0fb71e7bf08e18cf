"""Composing a response's text: from a statement with placeholder values, or free text."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _

from ..errors import Invalid
from ..library import service as library
from ..library.channels import CHANNELS, MARKDOWN_CHANNELS, label, limit
from ..library.content import Statement
from ..library.placeholders import fill, validate_values

BODY_MAX = 20_000


def body_hash(body: str) -> str:
    """SHA-256 of a response text."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def check_channel(channel) -> str:
    """A known channel."""
    if channel not in CHANNELS:
        raise Invalid("bad_channel", _("Choose a channel."), field="channel")
    return channel


def check_body(body, channel: str) -> str:
    """Non-empty text within the channel's limit."""
    if not isinstance(body, str) or not body.strip():
        raise Invalid("empty_body", _("The text is empty."), field="body")
    body = body.replace("\r\n", "\n").strip()
    channel_limit = limit(channel) or BODY_MAX
    if len(body) > channel_limit:
        raise Invalid("too_long", _("%(channel)s allows %(limit)d characters; this text has %(n)d.",
                                    channel=label(channel), limit=channel_limit, n=len(body)), field="body")
    return body


@dataclass
class Composed:
    body: str
    values: dict
    statement: Statement | None
    preapproved: bool


def compose(channel: str, *, statement_slug=None, values=None, body=None, language=None) -> Composed:
    """Build the first text of a response and tell whether it is pre-approved as it stands."""
    if statement_slug is None:
        if body is None:
            raise Invalid("no_text", _("Choose a statement or write a text."), field="body")
        return Composed(check_body(body, channel), {}, None, False)
    if not isinstance(statement_slug, str):
        raise Invalid("bad_statement", _("statement must be a slug."), field="statement")
    statement = library.get_statement(statement_slug)
    if channel not in statement.channels:
        raise Invalid("wrong_channel", _("This statement is not meant for %(channel)s.", channel=label(channel)),
                      field="channel")
    rendered = validate_values(statement.placeholders, values if values is not None else {}, statement.language)
    filled = fill(statement.body, rendered, markdown=channel in MARKDOWN_CHANNELS)
    if body is not None:  # the person edited the text: legal must see it
        return Composed(check_body(body, channel), rendered, statement, False)
    usable = library.approval_state(statement).usable
    return Composed(check_body(filled, channel), rendered, statement, usable)
