"""Filling statements: only declared names, values validated by type and escaped for the output."""

import pytest

from crisisdesk.errors import Invalid
from crisisdesk.library.placeholders import Placeholder, fill, validate_values

PLACEHOLDERS = [
    Placeholder("issue", "text", max_length=20),
    Placeholder("day", "date"),
    Placeholder("at", "time"),
    Placeholder("link", "url", required=False),
    Placeholder("kind", "choice", options=("Karten", "Online-Banking")),
    Placeholder("count", "number", required=False),
]
GOOD = {"issue": "Störung", "day": "2026-11-29", "at": "14:30", "kind": "Karten"}


def test_values_render_by_type_and_language():
    assert validate_values(PLACEHOLDERS, GOOD, "de") == {
        "issue": "Störung",
        "day": "29.11.2026",
        "at": "14:30",
        "link": "",
        "kind": "Karten",
        "count": "",
    }
    assert validate_values(PLACEHOLDERS, GOOD, "en")["day"] == "2026-11-29"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"issue": None}, "values.issue"),
        ({"issue": "x" * 21}, "values.issue"),
        ({"day": "29.11.2026"}, "values.day"),
        ({"at": "25:00"}, "values.at"),
        ({"link": "javascript:alert(1)"}, "values.link"),
        ({"link": "ftp://bank.example"}, "values.link"),
        ({"link": "https://bank]example/x"}, "values.link"),
        ({"kind": "Bargeld"}, "values.kind"),
        ({"count": "viele"}, "values.count"),
        ({"datum": "x"}, "values.datum"),
        ({"issue": "line\nbreak"}, "values.issue"),
        ({"issue": ["a"]}, "values.issue"),
    ],
)
def test_bad_values_are_refused_naming_the_field(change, field):
    values = {**GOOD, **change}
    with pytest.raises(Invalid) as caught:
        validate_values(PLACEHOLDERS, values, "de")
    assert caught.value.field == field


def test_only_declared_markers_are_replaced_and_nothing_is_evaluated():
    body = "{{ issue }} {{ config }} {{ 7*7 }} {{issue}}"
    assert fill(body, {"issue": "A"}) == "A {{ config }} {{ 7*7 }} A"


def test_values_are_escaped_for_markdown_documents():
    filled = fill(
        "Status: {{ issue }}",
        {"issue": "[Klick](javascript:alert(1)) <b>* a<b ~c | &"},
        markdown=True,
    )
    assert (
        filled
        == "Status: \\[Klick\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;\\* a&lt;b ~c \\| &amp;"
    )
