"""Markdown is rendered and sanitised: no script,
handler or javascript: URL survives; values stay text.
"""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.library.placeholders import fill
from crisisdesk.markdown import render_markdown

HOSTILE = [
    "<script>window.__xss()</script>",
    '<img src=x onerror="window.__xss()">',
    "[click](javascript:window.__xss())",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<<script>script>alert(1)<</script>/script>",
]


def test_renders_ordinary_markdown():
    html = render_markdown("## Tun\n\n- **ruhig** bleiben\n- [Website](https://example.org)")
    assert "<h2>Tun</h2>" in html
    assert "<strong>ruhig</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_never_survives(payload):
    html = str(render_markdown(payload)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html
    assert "<iframe" not in html and "<svg" not in html and "style=" not in html
    assert "data:text/html" not in html


def test_tables_survive():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


class _Text(HTMLParser):
    """The text content and the tags of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


#: what a placeholder may hold: one line (validate_values
#: refuses control characters), often Markdown syntax
SINGLE_LINE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"))
    | st.sampled_from("\\`*_{}[]()#+-.!|<>&=~:;1 "),
    max_size=80,
)
#: short runs of what makes a whole line a heading, rule, list item or quote
LINE_SYNTAX = st.text(st.sampled_from("=-#*+>1. "), min_size=1, max_size=6)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(value=SINGLE_LINE | LINE_SYNTAX)
def test_a_value_filled_into_markdown_reads_exactly_as_typed(value):
    html = str(
        render_markdown(fill("Status: {{ issue }} (update).", {"issue": value}, markdown=True))
    )
    shown = _Text(html)
    assert shown.text == f"Status: {value} (update)."
    assert shown.tags == ["p"]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(value=(SINGLE_LINE | LINE_SYNTAX).map(str.strip).filter(bool))
def test_a_value_that_starts_a_line_starts_no_block(value):
    html = str(
        render_markdown(fill("Intro.\n{{ issue }}\n\n{{ issue }}", {"issue": value}, markdown=True))
    )
    shown = _Text(html)
    assert shown.text == f"Intro.\n{value}\n{value}"
    assert shown.tags == ["p", "p"]


@pytest.mark.parametrize(
    "value",
    [
        "a<b ~c",
        "x | y",
        "&amp; &lt;",
        "<b>bold</b>",
        "*not* _em_",
        "# 1. - > x",
        "[Klick](javascript:alert(1))",
        "\\*",
        "`code`",
        "<https://evil.example>",
    ],
)
def test_known_troublemakers_read_exactly_as_typed(value):
    shown = _Text(
        str(render_markdown(fill("Status: {{ issue }}", {"issue": value}, markdown=True)))
    )
    assert (shown.text, shown.tags) == (f"Status: {value}", ["p"])
