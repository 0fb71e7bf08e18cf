"""Plain-text channels get the text the platform shows: no Markdown syntax, values as typed,
and X counts every link as 23 characters.
"""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.channel_catalogue import BUILTIN
from crisisdesk.channels import X_LINK_LENGTH, as_posted, counted_length, is_document, links_in
from crisisdesk.library.loader import load_library
from crisisdesk.library.placeholders import fill
from crisisdesk.plaintext import markdown_to_plain

CONTENT = Path(__file__).resolve().parents[1] / "playbooks"
DOCUMENT_CHANNELS = sorted(name for name in BUILTIN.channels if is_document(name))
PLAIN_CHANNELS = [name for name in BUILTIN.channels if not is_document(name)]


@pytest.mark.parametrize(
    "markdown, posted",
    [
        ("**Warning:** fraudsters are active.", "Warning: fraudsters are active."),
        ("*one* _two_ __three__ ***four***", "one two three four"),
        (
            "Details on [our website](https://bank.example/x).",
            "Details on our website (https://bank.example/x).",
        ),
        ("See [https://bank.example/x](https://bank.example/x).", "See https://bank.example/x."),
        ("See <https://bank.example/x>.", "See https://bank.example/x."),
        ("Write to <phishing@bank.example>.", "Write to phishing@bank.example."),
        ("Do this:\n\n- block the card\n- call us", "Do this:\n\n• block the card\n• call us"),
        ("1. block the card\n2. call us", "1. block the card\n2. call us"),
        ("- outer\n    - inner\n- next", "• outer\n  • inner\n• next"),
        ("## What happened?\nText right below.", "What happened?\n\nText right below."),
        ("# Title\n\nText.", "Title\n\nText."),
        ("First.\n\n\n\nSecond.", "First.\n\nSecond."),
        ("Line one  \nline two", "Line one\nline two"),
        ("Soft\nbreak kept", "Soft\nbreak kept"),
        ("Fees &amp; charges &lt;b&gt; &#8364;", "Fees & charges <b> €"),
        ("Trailing spaces   \n\nnext   ", "Trailing spaces\n\nnext"),
        ("`code *stays*`", "code *stays*"),
        ("> quoted\n\nafter", "quoted\n\nafter"),
        ("a\n\n---\n\nb", "a\n\nb"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
        ("[click](javascript:alert(1)) here", "click here"),
    ],
)
def test_markdown_becomes_the_text_the_platform_shows(markdown, posted):
    assert markdown_to_plain(markdown) == posted
    assert as_posted("facebook", markdown) == posted


@pytest.mark.parametrize("channel", DOCUMENT_CHANNELS)
def test_document_channels_get_the_text_unchanged(channel):
    text = "**Bold** and [link](https://bank.example/x)\n\n- item"
    assert as_posted(channel, text) == text


def test_every_post_channel_gets_plain_text():
    assert {"sms", "x", "facebook", "instagram", "linkedin", "xing", "tiktok", "threads",
            "mastodon", "whatsapp", "app_push"} <= set(PLAIN_CHANNELS)  # fmt: skip
    assert {"website", "press", "intranet", "newsletter", "staff_email"} <= set(DOCUMENT_CHANNELS)
    for channel in PLAIN_CHANNELS:
        assert as_posted(channel, "**Bold**") == "Bold"


#: what a person may type into a placeholder: one line (control characters are refused),
#: already stripped like validate_values does, often full of Markdown and HTML syntax
TYPED = (
    (
        st.text(
            st.characters(blacklist_categories=("Cc", "Cs"))
            | st.sampled_from("\\`*_{}[]()#+-.!|<>&=~:;1 "),
            min_size=1,
            max_size=60,
        )
        | st.text(st.sampled_from("=-#*+>1. "), min_size=1, max_size=6)
        | st.sampled_from(
            ["*x*", "<b>", "**bold**", "[a](https://b.example)", "# h", "- item", "&amp;"]
        )
    )
    .map(str.strip)
    .filter(bool)
)

STATEMENT = (
    "**Warning:** {{ v }} is going on.\n\n"
    "{{ v }}\n\n"
    "- first {{ v }}\n"
    "- see [our website](https://bank.example/x) about {{ v }}\n\n"
    "Ask us: {{ v }}"
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=TYPED)
def test_typed_values_come_out_literally_in_plain_posts(value):
    posted = as_posted("facebook", fill(STATEMENT, {"v": value}, markdown=True))
    assert posted == (
        f"Warning: {value} is going on.\n\n"
        f"{value}\n\n"
        f"• first {value}\n"
        f"• see our website (https://bank.example/x) about {value}\n\n"
        f"Ask us: {value}"
    )


def test_markup_in_values_stays_as_typed():
    posted = as_posted("x", fill("Now: {{ v }}", {"v": "*x* <b> [a](b) # 1."}, markdown=True))
    assert posted == "Now: *x* <b> [a](b) # 1."


SAMPLE_VALUES = {
    "text": "sample words",
    "date": "01.03.2026",
    "time": "14:30",
    "datetime": "01.03.2026 14:30",
    "url": "https://bank.example/info",
    "number": "3",
}
MARKDOWN_SYNTAX = [
    (re.compile(r"\*\*|__"), "emphasis"),
    (re.compile(r"\[[^\]]*\]\([^)]*\)"), "a link"),
    (re.compile(r"^\s*#", re.M), "a heading"),
    (re.compile(r"^\s*[-*+] ", re.M), "a list marker"),
    (re.compile(r"\\"), "an escape"),
    (re.compile(r"&(amp|lt|gt|#\d+);"), "an entity"),
]


def _statement_cases():
    library = load_library(CONTENT)
    assert not library.problems
    for statement in sorted(library.statements.values(), key=lambda s: s.slug):
        for channel in statement.channels:
            if not is_document(channel):
                yield pytest.param(statement, channel, id=f"{statement.slug}-{channel}")


@pytest.mark.parametrize("statement, channel", list(_statement_cases()))
def test_no_markdown_syntax_from_a_statement_reaches_a_plain_post(statement, channel):
    values = {
        p.name: p.options[0] if p.type == "choice" else SAMPLE_VALUES[p.type]
        for p in statement.placeholders
    }
    values["bank_name"] = "Raiffeisenbank Testtal eG"  # filled by the desk from its configuration
    posted = as_posted(channel, fill(statement.body, values, markdown=True))
    assert "{{" not in posted and posted == posted.strip()
    for pattern, what in MARKDOWN_SYNTAX:
        assert not pattern.search(posted), f"{what} in {statement.slug} on {channel}: {posted!r}"
    assert all(line == line.rstrip() for line in posted.split("\n"))
    assert "\n\n\n" not in posted


LONG_URL = "https://bank.example/" + "a-very-long-path/" * 10
SHORT_URL = "https://b.example"


@pytest.mark.parametrize(
    "text, links",
    [
        (f"Read {LONG_URL} now", [LONG_URL]),
        (f"Read {SHORT_URL}.", [SHORT_URL]),
        ("Go to www.bank.example/help!", ["www.bank.example/help"]),
        ("Go to bank.example/path, then call.", ["bank.example/path"]),
        ("Info: bank.example", ["bank.example"]),
        ("Mail phishing@bank.example or first.last@bank.example", []),
        ("z.B. um 14.30 Uhr, ca. 116.116 Euro. Ende.", []),
        ("our website (https://bank.example/x)", ["https://bank.example/x"]),
    ],
)
def test_x_finds_links_the_way_it_counts_them(text, links):
    assert links_in(text) == links


def test_x_counts_every_link_as_23_characters_and_facebook_counts_characters():
    for url in (LONG_URL, SHORT_URL, "bank.example/path", "www.bank.example"):
        text = f"Details: {url} today."
        assert counted_length("x", text) == len("Details:  today.") + X_LINK_LENGTH
        assert counted_length("facebook", text) == len(text)
    two = f"{LONG_URL} and {SHORT_URL}"
    assert counted_length("x", two) == 2 * X_LINK_LENGTH + len(" and ")
    assert counted_length("sms", two) == len(two)
    assert counted_length("x", "No links here.") == len("No links here.")
