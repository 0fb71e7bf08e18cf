"""The text a draft would post, shown while it is written: filled as far as the values allow."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup

from ..channels import counted_length, is_document, label, limit, names
from ..errors import Invalid
from ..incidents.queries import get_incident
from ..library import service as library
from ..library.content import Statement
from ..library.placeholders import validate_each
from ..markdown import render_markdown
from .compose import compose, posted_statement
from .service import require_writer


@dataclass
class DraftPreview:
    channel: str  #: the channel previewed (the statement's first when the asked one is wrong)
    text: str  #: what would be posted; a missing or bad value shows as its label in brackets
    length: int  #: counted the channel's way (on X every link counts 23)
    limit: int | None
    #: what is wrong, by placeholder name, or "channel" / "body" for the whole text
    errors: dict[str, str] = field(default_factory=dict)
    #: a Markdown channel's text as its readers see it (sanitised); plain posts are shown as text
    html: Markup | None = None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit

    def as_dict(self) -> dict:
        """Serialise for the draft page's script."""
        return {
            "channel": self.channel,
            "text": self.text,
            "length": self.length,
            "limit": self.limit,
            "over": self.over,
            "errors": self.errors,
            "html": str(self.html) if self.html is not None else None,
        }


def preview_draft(incident_id, *, actor, statement_slug, channel, values) -> DraftPreview:
    """What a response from this statement would post on the channel, and what is wrong so far."""
    require_writer(actor, get_incident(incident_id, actor=actor))
    if not isinstance(statement_slug, str):
        raise Invalid("bad_statement", _("statement must be a slug."), field="statement")
    return preview_statement(library.get_statement(statement_slug), channel, values)


def preview_statement(statement: Statement, channel, values) -> DraftPreview:
    """Fill the statement for the channel; the caller has checked who may see it."""
    errors: dict[str, str] = {}
    if channel not in statement.channels:
        errors["channel"] = (
            _("This statement is not meant for %(channel)s.", channel=label(channel))
            if channel in names()
            else _("Choose a channel.")
        )
        channel = statement.channels[0]
    if not isinstance(values, dict):
        values = {}
    raw = {p.name: values.get(p.name) for p in statement.placeholders}
    rendered, value_errors = validate_each(statement.placeholders, raw, statement.language)
    errors.update(value_errors)
    text = None
    if not value_errors:
        try:  # all values are good: the text is exactly what drafting would post
            text = compose(channel, statement_slug=statement.slug, values=raw).body
        except Invalid as exc:  # too long for the channel: still show it, with why
            errors[(exc.field or "body").removeprefix("values.")] = exc.message
    if text is None:
        shown = {  # an optional value left empty stays empty, as it would be posted
            p.name: f"[{p.label}]" if p.name in value_errors else rendered[p.name]
            for p in statement.placeholders
        }
        text = posted_statement(channel, statement.body, shown)
    html = render_markdown(text) if is_document(channel) else None
    return DraftPreview(channel, text, counted_length(channel, text), limit(channel), errors, html)
