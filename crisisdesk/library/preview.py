"""A statement filled in, as it would read on each of its channels."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..channels import MARKDOWN_CHANNELS, label, limit
from ..markdown import render_markdown
from .content import Statement
from .placeholders import fill


@dataclass
class ChannelPreview:
    channel: str
    label: str
    text: str
    html: Markup | None  #: for Markdown channels; plain posts are shown as text
    length: int
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit


def preview(statement: Statement, rendered: dict[str, str]) -> list[ChannelPreview]:
    """Fill the statement per channel and count characters against each channel's limit."""
    previews = []
    for channel in statement.channels:
        markdown = channel in MARKDOWN_CHANNELS
        text = fill(statement.body, rendered, markdown=markdown)
        previews.append(
            ChannelPreview(
                channel,
                label(channel),
                text,
                render_markdown(text) if markdown else None,
                len(text),
                limit(channel),
            )
        )
    return previews
