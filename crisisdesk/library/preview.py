"""A statement filled in, as it would read on each of its channels."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..channels import as_posted, counted_length, is_document, label, limit
from ..markdown import render_markdown
from .content import Statement
from .placeholders import fill


@dataclass
class ChannelPreview:
    channel: str
    label: str
    text: str  #: the Markdown document, or the post exactly as the platform shows it
    html: Markup | None  #: for Markdown channels; plain posts are shown as text
    length: int  #: counted the platform's way (on X every link counts 23)
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit


def preview(statement: Statement, rendered: dict[str, str]) -> list[ChannelPreview]:
    """Fill the statement per channel and count its length against each channel's limit."""
    filled = fill(statement.body, rendered, markdown=True)
    previews = []
    for channel in statement.channels:
        text = as_posted(channel, filled)
        previews.append(
            ChannelPreview(
                channel,
                label(channel),
                text,
                render_markdown(text) if is_document(channel) else None,
                counted_length(channel, text),
                limit(channel),
            )
        )
    return previews
