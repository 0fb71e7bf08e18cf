"""Legal's wording rules and the library's structural rules, on a small folder of its own."""

import shutil
from pathlib import Path

import pytest

from crisisdesk.library.loader import load_library

from .conftest import CONTENT

PLAYBOOK = """---
slug: storm-{lang}
title: "Storm {lang}"
language: {lang}
twin: storm-{other}
default_severity: {severity}
severity_criteria:
  1: "Many branches closed"
  2: "One region"
  3: "One branch"
  4: "A warning only"
triggers: ["storm"]
roles: [lead, spokesperson]
checklist:
  - id: first
    phase: first-15-minutes
    text: "{first}"
  - id: handover
    phase: first-day
    text: "Hand over to the next shift"
  - id: debrief
    phase: after
    text: "Debrief"
statements: [hold-{lang}, note-{lang}]
update_cadence_minutes: {{1: 60, 2: 120, 3: 240, 4: 480}}
owner: "Communications"
review_by: 2027-06-30
---
Guidance. {secrecy}
"""

STATEMENT = """---
slug: note-{lang}
title: "Note"
language: {lang}
twin: note-{other}
audience: {audience}
channels: [{channels}]
placeholders:
  - name: where
    label: "Where"
    type: choice
    options: ["{option}"]
    required: true
owner: "Legal"
---
{body} {{{{ where }}}}
"""
HOLD = """---
slug: hold-{lang}
title: "Hold"
language: {lang}
twin: hold-{other}
audience: public
channels: [x]
placeholders: []
owner: "Legal"
---
We are on it.
"""
SECRECY = {"de": "Bankgeheimnis", "en": "banking secrecy"}


def write(folder: Path, lang: str, playbook: dict | None = None, statement: dict | None = None):
    """Write the storm playbook and its note in one language, with fields changed as given."""
    other = "en" if lang == "de" else "de"
    fields = {"lang": lang, "other": other, "severity": 2, "first": "Check the facts"}
    fields["secrecy"] = f"Keep {SECRECY[lang]}."
    (folder / f"storm.{lang}.md").write_text(PLAYBOOK.format(**{**fields, **(playbook or {})}))
    note = {"lang": lang, "other": other, "audience": "public", "channels": "website"}
    note.update(option="in town", body=f"We help. {SECRECY[lang]}.")
    (folder / "statements" / f"note.{lang}.md").write_text(
        STATEMENT.format(**{**note, **(statement or {})})
    )
    (folder / "statements" / f"hold.{lang}.md").write_text(HOLD.format(lang=lang, other=other))


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "playbooks"
    (target / "statements").mkdir(parents=True)
    for name in ("escalation.yaml", "wording.yaml"):
        shutil.copy(CONTENT / name, target / name)
    write(target, "de")
    write(target, "en")
    return target


def problems(folder: Path) -> list[str]:
    return [str(problem) for problem in load_library(folder).problems]


def test_the_small_folder_is_clean(folder):
    library = load_library(folder)
    assert library.problems == []
    storm = library.playbooks["storm-en"]
    assert [item.phase for item in storm.checklist] == ["first-15-minutes", "first-day", "after"]
    assert storm.severity_criteria[3] == "One branch"
    assert library.statements["note-en"].audience == "public"


@pytest.mark.parametrize(
    "lang,where,value",
    [
        ("de", "body", "Zinsen und Entgelte gleichen wir automatisch aus."),
        ("de", "option", "Die Gebühr erstatten wir."),
        ("en", "body", "We will refund every fee."),
        ("en", "option", "YOUR MONEY BACK"),
    ],
)
def test_a_promise_of_compensation_in_a_statement_is_reported(folder, lang, where, value):
    write(folder, lang, statement={where: value})
    found = [p for p in problems(folder) if "promises compensation" in p]
    assert found and found[0].startswith(f"playbooks/statements/note.{lang}.md:")
    line = found[0].split(":")[1]
    text = (folder / "statements" / f"note.{lang}.md").read_text().splitlines()
    assert value.casefold()[:12] in text[int(line) - 1].casefold()


def test_a_playbook_may_warn_against_promises_in_its_guidance(folder):
    write(folder, "en", playbook={"secrecy": "Keep banking secrecy. Never say: we will refund."})
    assert problems(folder) == []


@pytest.mark.parametrize(
    "word,instead",
    [("Lead", "Leitung"), ("Incident-Raum", "Vorfall"), ("Geschäftsstellen", "Filiale")],
)
def test_german_files_use_the_banks_words(folder, word, instead):
    write(folder, "de", playbook={"first": f"{word} prüfen"})
    found = "\n".join(problems(folder))
    assert f"playbooks/storm.de.md:17: say '{instead}'" in found


def test_the_avoided_german_words_are_words_not_parts_of_words(folder):
    write(folder, "de", playbook={"first": "Fakten klären"}, statement={"body": "Leadership"})
    assert "Leitung" in "\n".join(problems(folder))  # "Lead" starts the word
    write(folder, "de", statement={"body": f"Unser Fehler. {SECRECY['de']}."})
    write(folder, "en", playbook={"first": "The lead checks the facts"})
    assert problems(folder) == []  # English files keep their own words


def test_every_playbook_states_banking_secrecy(folder):
    write(folder, "de", playbook={"secrecy": "Nichts dazu."})
    assert any(
        p.startswith("playbooks/storm.de.md:") and "Bankgeheimnis" in p for p in problems(folder)
    )


def test_a_public_reply_to_one_person_states_banking_secrecy(folder):
    reply = {"audience": "commenter", "channels": "facebook", "body": "Thanks for asking."}
    write(folder, "en", statement=reply)
    assert any("must state banking secrecy" in p for p in problems(folder))
    write(folder, "en", statement={**reply, "body": "Because of banking secrecy, DM us."})
    assert problems(folder) == []


@pytest.mark.parametrize(
    "audience,channel",
    [("affected", "website"), ("commenter", "website"), ("staff", "facebook"), ("press", "sms")],
)
def test_a_channel_must_reach_the_statements_audience(folder, audience, channel):
    write(folder, "en", statement={"audience": audience, "channels": channel})
    assert any(
        f"channel {channel} does not reach the audience {audience}" in p for p in problems(folder)
    )


def test_a_statement_needs_a_known_audience(folder):
    text = (folder / "statements" / "note.en.md").read_text()
    (folder / "statements" / "note.en.md").write_text(text.replace("audience: public\n", ""))
    assert any("missing field 'audience'" in p for p in problems(folder))
    write(folder, "en", statement={"audience": "everyone"})
    assert any("'audience' must be one of" in p for p in problems(folder))


def test_checklist_phases_are_required_known_and_in_order(folder):
    file = folder / "storm.en.md"
    original = file.read_text()
    file.write_text(original.replace("    phase: first-15-minutes\n", "", 1))
    assert any("checklist item 'first' needs a phase" in p for p in problems(folder))
    file.write_text(original.replace("phase: first-15-minutes", "phase: later", 1))
    assert any("phase must be one of" in p for p in problems(folder))
    file.write_text(original.replace("phase: first-15-minutes", "phase: after", 1))
    assert any("must be in phase order" in p for p in problems(folder))
    file.write_text(original.replace("id: handover", "id: hand-over", 1))
    assert any("needs a 'handover' item" in p for p in problems(folder))


def test_severity_criteria_cover_all_four_in_one_short_line(folder):
    file = folder / "storm.en.md"
    original = file.read_text()
    file.write_text(original.replace('  4: "A warning only"\n', "", 1))
    assert any("'severity_criteria' is missing severity 4" in p for p in problems(folder))
    file.write_text(original.replace('"A warning only"', '"' + "x" * 201 + '"', 1))
    assert any("at most 200 characters" in p for p in problems(folder))


def test_a_checklist_item_naming_a_role_told_later_is_reported(folder):
    # the shared policy tells legal after 30 minutes at severity 2: too late for the first 15
    write(folder, "en", playbook={"first": "Clarify the facts with legal"})
    found = [p for p in problems(folder) if "needs legal" in p]
    assert found == [
        "playbooks/storm.en.md:15: checklist item 'first' (first-15-minutes) needs legal, "
        "but at severity 2 the escalation tells legal after 30 minutes"
    ]
    # at default severity 1 it is told at 15; severity 1 is then the only one checked
    write(folder, "en", playbook={"first": "Clarify the facts with legal", "severity": 1})
    assert problems(folder) == []


def test_a_role_the_escalation_never_tells_is_reported_at_each_severity(folder):
    write(folder, "de", playbook={"first": "Datenschutzbeauftragten einbinden", "severity": 3})
    found = [p for p in problems(folder) if "needs dpo" in p]
    assert [p.rsplit("at severity ", 1)[1] for p in found] == [
        "1 the escalation tells dpo never",
        "2 the escalation tells dpo never",
        "3 the escalation tells dpo never",
    ]


def test_a_playbooks_own_escalation_can_tell_a_new_role_in_time(folder):
    steps = "\n".join(
        f"  {severity}:\n    - after_minutes: 0\n      target_role: oncall\n"
        f'      on_opening: true\n      action: "Take over"\n'
        f'    - after_minutes: 10\n      target_role: dpo\n      action: "Brief the DPO"'
        for severity in (1, 2, 3, 4)
    )
    write(folder, "en", playbook={"first": "Involve the DPO"})
    file = folder / "storm.en.md"
    file.write_text(file.read_text().replace("owner:", f"escalation:\n{steps}\nowner:", 1))
    assert problems(folder) == []
    assert load_library(folder).playbooks["storm-en"].escalation[2][1].target_role == "dpo"


def test_the_bank_name_is_filled_by_the_desk_and_counted_at_its_longest(folder):
    sms = {"audience": "customers", "channels": "sms", "body": "{{ bank_name }}: " + "x" * 100}
    write(folder, "en", statement=sms)
    assert problems(folder) == []  # 40 + 2 + 100 + 1 + 7 ("in town") = 150
    write(folder, "en", statement={**sms, "body": "{{ bank_name }}: " + "x" * 111})
    assert any("sms allows 160" in p for p in problems(folder))


def test_missing_or_broken_wording_rules_are_reported(folder):
    (folder / "wording.yaml").write_text("promises: [\n")
    assert any(p.startswith("playbooks/wording.yaml:") for p in problems(folder))
    (folder / "wording.yaml").write_text("promises: {}\n")
    assert any("needs mappings promises, overclaims, reveals" in p for p in problems(folder))
    (folder / "wording.yaml").unlink()
    assert "playbooks/wording.yaml:1: the wording rules are missing" in problems(folder)


@pytest.mark.parametrize("audience,channel", [("customers", "sms"), ("affected", "letter")])
def test_a_text_that_arrives_unasked_names_its_sender(folder, audience, channel):
    write(folder, "en", statement={"audience": audience, "channels": channel})
    assert any("must name its sender" in p for p in problems(folder))
    signed = {"audience": audience, "channels": channel, "body": "{{bank_name}}: Note."}
    write(folder, "en", statement=signed)
    assert problems(folder) == []


def test_a_playbooks_first_statement_is_its_holding_statement(folder):
    write(folder, "en", statement={"audience": "staff", "channels": "intranet"})
    assert problems(folder) == []
    file = folder / "storm.en.md"
    file.write_text(file.read_text().replace("[hold-en, note-en]", "[note-en, hold-en]"))
    assert any(
        p.startswith("playbooks/storm.en.md:") and "must be a holding statement" in p
        for p in problems(folder)
    )


@pytest.mark.parametrize(
    "lang,body",
    [
        ("de", "Unser Service schreibt Sie nie zuerst an."),
        ("de", "Ab sofort funktioniert wieder alles."),
        ("en", "Your data is safe with us."),
    ],
)
def test_a_statement_claiming_more_than_anyone_can_know_is_reported(folder, lang, body):
    write(folder, lang, statement={"body": f"{body} {SECRECY[lang]}."})
    assert any("claims more than anyone can know" in p for p in problems(folder))


def test_a_public_reply_must_not_tell_everyone_the_person_is_a_customer(folder):
    reply = {"audience": "commenter", "channels": "facebook"}
    body = "It depends on your contract. Because of banking secrecy, please DM us."
    write(folder, "en", statement={**reply, "body": body})
    assert any("tells the public the person is a customer" in p for p in problems(folder))
    write(folder, "en", statement={"body": body})  # a notice to all may say "your contract"
    assert problems(folder) == []
