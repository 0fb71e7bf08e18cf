"""Placeholder labels: every statement names its fields for people, in the file's own language."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from crisisdesk.errors import Invalid
from crisisdesk.library.loader import load_library
from crisisdesk.library.placeholders import Placeholder, validate_each, validate_values
from crisisdesk.library.schema import LABEL_MAX

from .conftest import CONTENT

STATEMENT_FILES = sorted((CONTENT / "statements").glob("*.md"))
#: words that give away an English sentence; none of them is German
ENGLISH_WORDS = re.compile(r"\b(the|and|of|with|which|our|when|time|date|page)\b", re.I)


def front_matter(file: Path) -> dict:
    text = file.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def twin_file(file: Path) -> Path:
    base, language, suffix = file.name.rsplit(".", 2)
    return file.with_name(f"{base}.{'en' if language == 'de' else 'de'}.{suffix}")


def test_every_statement_file_is_checked():
    assert len(STATEMENT_FILES) >= 34


@pytest.mark.parametrize("file", STATEMENT_FILES, ids=lambda file: file.name)
def test_every_placeholder_has_a_short_label(file):
    for item in front_matter(file)["placeholders"]:
        label = item.get("label")
        assert isinstance(label, str) and label.strip(), (file.name, item["name"])
        assert len(label) <= LABEL_MAX and "_" not in label, (file.name, label)
        assert isinstance(item.get("help"), str) and item["help"].strip(), (file.name, item["name"])


@pytest.mark.parametrize(
    "file", [f for f in STATEMENT_FILES if ".de." in f.name], ids=lambda file: file.name
)
def test_german_labels_and_help_are_german_not_the_english_twins(file):
    english = {item["name"]: item for item in front_matter(twin_file(file))["placeholders"]}
    for item in front_matter(file)["placeholders"]:
        twin = english[item["name"]]
        assert item["label"] != twin["label"], (file.name, item["name"])
        assert item["help"] != twin["help"], (file.name, item["name"])
        for text in (item["label"], item["help"]):
            assert not ENGLISH_WORDS.search(text), (file.name, text)


def test_labels_reach_the_loaded_placeholders():
    statement = load_library(CONTENT).statements["phishing-warning-de"]
    assert [p.label for p in statement.placeholders] == [
        "Kontaktweg",
        "Die Masche",
        "Phishing-Postfach",
    ]


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "playbooks"
    shutil.copytree(CONTENT, target)
    return target


def edit(folder: Path, old: str, new: str, name="statements/holding-social.en.md") -> None:
    file = folder / name
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def test_a_file_without_labels_still_loads_with_the_name_as_label(folder):
    edit(folder, '    label: "Next update"\n', "")
    library = load_library(folder)
    assert library.problems == []
    labels = [p.label for p in library.statements["holding-social-en"].placeholders]
    assert labels == ["What it is about", "Help and information", "next update"]


@pytest.mark.parametrize(
    "label,complaint",
    [
        ('""', "'label' must be non-empty text"),
        ("[1, 2]", "'label' must be non-empty text"),
        ("42", "'label' must be non-empty text"),
        ('"' + "x" * (LABEL_MAX + 1) + '"', f"'label' can have at most {LABEL_MAX} characters"),
        ('"two\\nlines"', "'label' must be a single line"),
    ],
)
def test_a_bad_label_is_reported_with_its_line(folder, label, complaint):
    edit(folder, 'label: "Next update"', f"label: {label}")
    problems = [str(p) for p in load_library(folder).problems]
    assert any(
        p.startswith("playbooks/statements/holding-social.en.md:") and complaint in p
        for p in problems
    ), problems
    assert "holding-social-en" not in load_library(folder).statements


def test_an_empty_help_still_loads(folder):
    edit(folder, 'help: "Time of the next update (at the latest)"', 'help: ""')
    library = load_library(folder)
    assert library.problems == []
    assert library.statements["holding-social-en"].placeholders[2].help == ""


def test_help_must_be_text(folder):
    edit(folder, 'help: "Time of the next update (at the latest)"', "help: [1]")
    problems = [str(p) for p in load_library(folder).problems]
    assert any("'help' must be non-empty text" in p for p in problems), problems


def test_a_placeholder_made_in_code_gets_its_name_as_label():
    assert Placeholder("next_update", "time").label == "next update"
    assert Placeholder("next_update", "time", label="Nächstes Update").label == "Nächstes Update"


def test_the_api_serialises_the_label():
    placeholder = Placeholder("next_update", "time", label="Next update", help="When")
    assert placeholder.as_dict()["label"] == "Next update"


@pytest.mark.parametrize(
    "placeholder,value",
    [
        (Placeholder("next_update", "time", label="Nächstes Update"), None),
        (Placeholder("next_update", "time", label="Nächstes Update"), "halb drei"),
        (Placeholder("day", "date", label="Nächstes Update"), "morgen"),
        (Placeholder("link", "url", label="Nächstes Update"), "ftp://x"),
        (Placeholder("kind", "choice", options=("a",), label="Nächstes Update"), "b"),
        (Placeholder("issue", "text", max_length=3, label="Nächstes Update"), "long"),
        (Placeholder("issue", "text", max_length=30, label="Nächstes Update"), "two\nlines"),
        (Placeholder("count", "number", label="Nächstes Update"), "many"),
    ],
)
def test_error_messages_name_the_label_not_the_code_name(app, placeholder, value):
    with pytest.raises(Invalid) as raised:
        validate_values([placeholder], {placeholder.name: value}, "de")
    assert "Nächstes Update" in raised.value.message
    assert placeholder.name not in raised.value.message
    assert raised.value.field == f"values.{placeholder.name}"  # machines still get the name
    _rendered, errors = validate_each([placeholder], {placeholder.name: value}, "de")
    assert "Nächstes Update" in errors[placeholder.name]


def test_the_statements_api_lists_labels(client, make_user, token_for):
    headers = token_for(make_user("olga", roles=["oncall"]))
    items = client.get("/api/v1/statements?language=de&limit=200", headers=headers).json["items"]
    phishing = next(item for item in items if item["slug"] == "phishing-warning-de")
    assert [p["label"] for p in phishing["placeholders"]] == [
        "Kontaktweg",
        "Die Masche",
        "Phishing-Postfach",
    ]
