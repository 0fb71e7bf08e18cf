"""Rendered Markdown turned into the text a plain-text platform (SMS, X, Facebook …) shows.

The statement goes through the desk's one renderer first, so what counts as emphasis, a link
or a list is exactly what the Markdown channels show; this only reads the sanitised HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .markdown import render_markdown

#: elements that start a block of their own, separated by one blank line
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr", "pre"})
#: elements that start a new line inside a block
LINES = frozenset({"tr", "dt", "dd"})
#: elements whose whitespace is text (outside them it only separates HTML tags)
TEXT_HOLDERS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd"})
BULLET = "• "
INDENT = "  "


def markdown_to_plain(markdown_text: str) -> str:
    """Render Markdown and return the text a platform without Markdown should show."""
    converter = _PlainText()
    converter.feed(str(render_markdown(markdown_text)))
    converter.close()
    return converter.result()


class _PlainText(HTMLParser):
    """Walk the renderer's HTML and write its text with line breaks where blocks were."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.pending = 0  #: newlines owed before the next text
        self.fresh = False  #: just wrote a list item's marker: no break, no leading space
        self.lists: list[list] = []  #: [tag, items so far] per open list
        self.links: list[list[str]] = []  #: [href, text so far] per open link
        self.holders = 0  #: open elements whose whitespace is text
        self.pre = 0
        self.cells = 0  #: cells so far in the current table row
        self.after_br = False  #: the renderer puts a newline after <br>: it is not a second one

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._break(2)
            if tag == "pre":
                self.pre += 1
        elif tag in LINES:
            self._break(1)
            self.cells = 0
        elif tag in ("ul", "ol"):
            self._break(1 if self.lists else 2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._item()
        elif tag in ("td", "th"):
            if self.cells:
                self._write(" | ")
            self.cells += 1
        elif tag == "br":
            self._write("\n")
            self.after_br = True
        elif tag == "a":
            self.links.append([dict(attrs).get("href") or "", ""])
        if tag in TEXT_HOLDERS:
            self.holders += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in TEXT_HOLDERS:
            self.holders = max(0, self.holders - 1)
        if tag in BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._break(2)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "li":
            self._break(1)
        elif tag == "a" and self.links:
            href, shown = self.links.pop()
            if href and not _same_address(shown.strip(), href):
                self._write(f" ({href})" if shown.strip() else href)

    def handle_data(self, data):
        if self.after_br and data.startswith("\n"):
            data = data[1:]
        self.after_br = False
        if self.fresh:
            data = data.lstrip(" \t\n")  # the item's text starts right after its marker
        if not data or (not data.strip() and not (self.holders or self.pre)):
            return  # whitespace between tags
        self._write(data)

    def _item(self):
        self.fresh = False  # an empty item before this one still ends its line
        self._break(1)
        if not self.lists:  # an item outside any list: a line of its own
            return
        current = self.lists[-1]
        current[1] += 1
        marker = f"{current[1]}. " if current[0] == "ol" else BULLET
        self._write(INDENT * (len(self.lists) - 1) + marker)
        self.fresh = True

    def _break(self, lines: int):
        if not self.fresh:
            self.pending = max(self.pending, lines)

    def _write(self, text: str):
        if self.pending:
            self.text = self.text.rstrip(" \t\n")
            if self.text:
                self.text += "\n" * self.pending
            self.pending = 0
        self.text += text
        self.fresh = False
        for link in self.links:
            link[1] += text

    def result(self) -> str:
        lines = [line.rstrip(" \t") for line in self.text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _same_address(shown: str, href: str) -> bool:
    """A link whose text already is its address needs no address after it."""
    bare = re.sub(r"^(mailto|tel):", "", href)
    return shown in (href, bare) or shown.rstrip("/") == href.rstrip("/")
