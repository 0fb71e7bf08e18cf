"""The playbook's guidance in the room: its first section apart from the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup

#: the playbook HTML is the desk's sanitised rendering (crisisdesk/markdown.py), so its sections
#: start at a plain `<h2` tag
SECTION = re.compile(r"(?=<h2[\s>])")
TAG = re.compile(r"<[^>]*>")
#: how long the first section stays open by default
YOUNG_MINUTES = 60


@dataclass(frozen=True)
class Guidance:
    first_title: str
    first: Markup  #: what comes before the second section, without the first heading
    rest: Markup  #: from the second section on


def split_guidance(html: str, fallback_title: str) -> Guidance:
    """Split a playbook's HTML into its first section (title and body) and the rest."""
    parts = SECTION.split(str(html))
    intro, sections = parts[0], parts[1:]
    if not sections:
        return Guidance(fallback_title, Markup(intro), Markup(""))
    first = sections[0]
    heading_end = first.find("</h2>")
    title = unescape(TAG.sub("", first[: heading_end if heading_end >= 0 else 0])).strip()
    body = first[heading_end + len("</h2>") :] if heading_end >= 0 else first
    return Guidance(title or fallback_title, Markup(intro + body), Markup("".join(sections[1:])))
