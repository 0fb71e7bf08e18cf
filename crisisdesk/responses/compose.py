"""Composing a response's text: from a statement with placeholder values, or free text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask_babel import gettext as _

from ..channels import (
    X_LINK_LENGTH,
    as_posted,
    audience_label,
    audiences,
    audiences_of,
    channels_for,
    counted_length,
    label,
    limit,
    names,
)
from ..errors import Invalid
from ..extensions import db
from ..library import service as library
from ..library.content import Statement
from ..library.free import held_back
from ..library.models import ContentVersion
from ..library.placeholders import fill, validate_values
from ..library.store import get_library

BODY_MAX = 20_000


def body_hash(body: str) -> str:
    """SHA-256 of a response text."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def check_channel(channel) -> str:
    """A known channel."""
    if channel not in names():
        raise Invalid("bad_channel", _("Choose a channel."), field="channel")
    return channel


def check_audience(audience, channel: str, statement: Statement | None) -> str:
    """Who the response is for: given, else the statement's, else the channel's first audience.

    The channel must reach it (an intranet article does not reach customers), and a statement's
    text is for the audience it was written and approved for.
    """
    if audience is None:
        if statement is not None and statement.audience:
            return statement.audience
        reached = audiences_of(channel)
        return "public" if "public" in reached or not reached else reached[0]
    if audience not in audiences():
        raise Invalid("bad_audience", _("Choose who the text is for."), field="audience")
    if statement is not None and statement.audience and audience != statement.audience:
        raise Invalid(
            "wrong_audience",
            _(
                "This statement is written for %(audience)s.",
                audience=audience_label(statement.audience),
            ),
            field="audience",
        )
    if channel not in channels_for(audience):
        raise Invalid(
            "channel_audience",
            _(
                "%(channel)s does not reach %(audience)s.",
                channel=label(channel),
                audience=audience_label(audience),
            ),
            field="audience",
        )
    return audience


def check_body(body, channel: str) -> str:
    """Non-empty text within the channel's limit, counted the way its platform counts."""
    if not isinstance(body, str) or not body.strip():
        raise Invalid("empty_body", _("The text is empty."), field="body")
    # the desk's own ceiling holds for every channel
    # (Facebook allows 63,206) and for the text as sent
    channel_limit = min(limit(channel) or BODY_MAX, BODY_MAX)
    if len(body) > BODY_MAX:
        raise _too_long(channel, channel_limit, len(body), len(body))
    body = body.replace("\r\n", "\n").strip()
    counted = counted_length(channel, body)
    if counted > channel_limit:
        raise _too_long(channel, channel_limit, counted, len(body))
    return body


def _too_long(channel: str, channel_limit: int, counted: int, characters: int) -> Invalid:
    if counted != characters:  # links counted at their platform length: say so
        message = _(
            "%(channel)s allows %(limit)d characters; this text counts as %(n)d "
            "(every link counts as %(link)d).",
            channel=label(channel),
            limit=channel_limit,
            n=counted,
            link=X_LINK_LENGTH,
        )
    else:
        message = _(
            "%(channel)s allows %(limit)d characters; this text has %(n)d.",
            channel=label(channel),
            limit=channel_limit,
            n=counted,
        )
    return Invalid("too_long", message, field="body")


@dataclass
class Composed:
    body: str
    values: dict
    statement: Statement | None
    #: why it needs legal: free_text | edited | unapproved | expired | not_free; None: pre-approved
    reason: str | None
    held: tuple[str, ...] = ()  #: the text placeholders whose values legal has not let through

    @property
    def preapproved(self) -> bool:
        return self.reason is None

    def message(self) -> str | None:
        """Why the response is a draft, in words for the person drafting it."""
        if self.reason == "not_free":
            # the labels the form showed, in the statement's language, not the code names
            labels = (
                {p.name: p.label for p in self.statement.placeholders} if self.statement else {}
            )
            return _(
                "Your text in %(names)s goes to legal.",
                names=", ".join(f"‘{labels.get(name, name)}’" for name in self.held),
            )
        messages = {
            "free_text": _(
                "A free text is a draft: legal must approve it before it can be published."
            ),
            "edited": _("You changed the statement's wording, so the response goes to legal."),
            "unapproved": _(
                "This version of the statement is not approved, so the response goes to legal."
            ),
            "expired": _("The statement's approval has expired, so the response goes to legal."),
        }
        return messages.get(self.reason)


def compose(
    channel: str, *, statement_slug=None, values=None, body=None, language=None
) -> Composed:
    """Build the first text of a response and tell whether it is pre-approved as it stands."""
    if statement_slug is None:
        if body is None:
            raise Invalid("no_text", _("Choose a statement or write a text."), field="body")
        return Composed(check_body(body, channel), {}, None, "free_text")
    if not isinstance(statement_slug, str):
        raise Invalid("bad_statement", _("statement must be a slug."), field="statement")
    statement = library.get_statement(statement_slug)
    if channel not in statement.channels:
        raise Invalid(
            "wrong_channel",
            _("This statement is not meant for %(channel)s.", channel=label(channel)),
            field="channel",
        )
    rendered = validate_values(
        statement.placeholders, values if values is not None else {}, statement.language
    )
    # what is stored, approved, hashed and exported is the text exactly as the platform shows it
    filled = posted_statement(channel, statement.body, rendered)
    if body is not None:  # the person edited the text (already as posted): legal must see it
        return Composed(check_body(body, channel), rendered, statement, "edited")
    state = library.approval_state(statement)
    if not state.usable:
        return Composed(check_body(filled, channel), rendered, statement, state.status)
    held = tuple(held_back(statement.placeholders, rendered, state.free_placeholders))
    return Composed(
        check_body(filled, channel), rendered, statement, "not_free" if held else None, held
    )


def posted_statement(channel: str, body: str, rendered: dict[str, str]) -> str:
    """Fill a statement body with validated values and return it as posted on the channel."""
    return as_posted(channel, fill(body, rendered, markdown=True))


def stored_values(revision) -> dict[str, str]:
    """The placeholder values a revision was filled with (empty for free text and later edits)."""
    try:
        values = json.loads(revision.values or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def lapse_reason(response) -> str | None:
    """Why a pre-approved response may no longer go out as
    it stands: changed | expired | unapproved | not_free.
    """
    statement = get_library().statements.get(response.statement_slug or "")
    version = (
        db.session.get(ContentVersion, response.statement_version_id)
        if response.statement_version_id
        else None
    )
    if statement is None or version is None or version.sha256 != statement.sha256:
        return "changed"
    state = library.approval_state(statement)
    if not state.usable:
        return state.status
    values = json.loads(response.current.values or "{}")
    return (
        "not_free" if held_back(statement.placeholders, values, state.free_placeholders) else None
    )


def lapse_message(reason: str) -> str:
    """What to tell the person publishing when a pre-approval lapsed."""
    messages = {
        "changed": _(
            "The statement has changed since this response was drafted — "
            "send the response to legal."
        ),
        "expired": _("The statement's approval has expired — send the response to legal."),
        "unapproved": _("The statement is no longer approved — send the response to legal."),
        "not_free": _(
            "A value in this response is no longer free under the statement's approval — "
            "send the response to legal."
        ),
    }
    return messages[reason]
