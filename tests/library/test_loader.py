"""The loader: the real content passes, broken content is reported with file and line."""

import shutil

import pytest

from crisisdesk.library.loader import load_library

from .conftest import CONTENT, problems_of

#: crises the public meets first: marketing pauses, staff hear first, the dark site is checked
PUBLIC_FACING = {
    "atm-blasting",
    "bank-run-rumour",
    "branch-closure",
    "card-network-outage",
    "data-breach",
    "ddos-online-banking",
    "double-charging",
    "employee-misconduct",
    "executive-scandal",
    "fake-support-accounts",
    "fee-dispute",
    "it-provider-outage",
    "phishing-wave",
}


def test_the_shipped_library_is_complete_and_clean():
    library = load_library(CONTENT)
    assert library.problems == []
    for language in ("de", "en"):
        playbooks = [p for p in library.playbooks.values() if p.language == language]
        statements = [s for s in library.statements.values() if s.language == language]
        assert len(playbooks) >= 20 and len(statements) >= 35
    for playbook in library.playbooks.values():
        ids = {item.id for item in playbook.checklist}
        assert "handover" in ids and playbook.severity_criteria, playbook.slug
        if playbook.slug.rsplit("-", 1)[0] in PUBLIC_FACING:
            assert {"pause-marketing", "inform-staff", "dark-site"} <= ids, playbook.slug
        assert library.playbooks[playbook.twin].twin == playbook.slug
        assert set(playbook.escalation) == {1, 2, 3, 4}
    breach = library.playbooks["data-breach-de"]
    assert any("72" in item.text for item in breach.checklist)
    sms = [s for s in library.statements.values() if "sms" in s.channels]
    assert len(sms) >= 6


def test_shared_policy_is_inherited_in_the_playbooks_language():
    library = load_library(CONTENT)
    inheriting = [p for p in library.playbooks.values() if p.inherits_policy and p.language == "en"]
    assert inheriting
    assert inheriting[0].escalation[1][0].action == library.policy["en"][1][0].action
    first_steps = library.policy["de"][1]
    assert first_steps[0].after_minutes == 0 and [s.after_minutes for s in first_steps] == sorted(
        s.after_minutes for s in first_steps
    )


def test_bad_yaml_is_reported_with_its_line(folder):
    file = folder / "phishing-wave.de.md"
    lines = file.read_text().splitlines()
    lines[3] = "language: [de"
    file.write_text("\n".join(lines))
    found = problems_of(folder)
    assert any(
        p.startswith("playbooks/phishing-wave.de.md:") and "YAML does not parse" in p for p in found
    )


def test_unknown_placeholder_names_file_and_line(folder):
    file = folder / "statements" / "holding-social.de.md"
    text = file.read_text().replace("{{ next_update }}", "{{ datum }}")
    file.write_text(text)
    line = next(n for n, line_text in enumerate(text.splitlines(), 1) if "{{ datum }}" in line_text)
    found = problems_of(folder)
    assert (
        f"playbooks/statements/holding-social.de.md:{line}: unknown placeholder 'datum' in body"
        in found
    )
    assert any("placeholder 'next_update' is declared but not used" in p for p in found)


def test_missing_field_is_reported(folder):
    file = folder / "fee-dispute.en.md"
    file.write_text(
        "\n".join(line for line in file.read_text().splitlines() if not line.startswith("owner:"))
    )
    assert any(
        p.startswith("playbooks/fee-dispute.en.md:") and "missing field 'owner'" in p
        for p in problems_of(folder)
    )


def test_duplicate_slug_is_reported(folder):
    shutil.copy(folder / "atm-blasting.de.md", folder / "atm-blasting-copy.de.md")
    found = problems_of(folder)
    assert any(
        p.startswith("playbooks/atm-blasting") and "duplicate slug 'atm-blasting-de'" in p
        for p in found
    )


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("after_minutes: 10", "after_minutes: -5", "after_minutes must be 0-10080"),
        ("target_role: legal", "target_role: board", "target_role must be one of"),
    ],
)
def test_bad_escalation_step_is_reported(folder, old, new, message):
    file = folder / "data-breach.en.md"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    line = next(
        n for n, line_text in enumerate(file.read_text().splitlines(), 1) if new in line_text
    )
    assert f"playbooks/data-breach.en.md:{line}: " in "\n".join(problems_of(folder))
    assert any(message in p for p in problems_of(folder))


def test_statement_over_the_sms_limit_is_reported(folder):
    file = folder / "statements" / "sms-outage.de.md"
    text = file.read_text()
    file.write_text(text.rstrip() + " " + "Bitte haben Sie Geduld. " * 3 + "\n")
    assert any("sms allows 160" in p for p in problems_of(folder))


def test_files_with_problems_are_left_out_but_the_rest_loads(folder):
    (folder / "broken.md").write_text("no front matter at all")
    library = load_library(folder)
    assert any(str(p).startswith("playbooks/broken.md:1:") for p in library.problems)
    assert len(library.playbooks) == len(load_library(CONTENT).playbooks)


def test_unknown_twin_and_statement_are_reported(folder):
    file = folder / "branch-closure.en.md"
    text = file.read_text().replace("twin: branch-closure-de", "twin: nowhere-de")
    file.write_text(text.replace("statements: [", "statements: [ghost-en, ", 1))
    found = "\n".join(problems_of(folder))
    assert "twin 'nowhere-de' does not exist" in found and "unknown statement 'ghost-en'" in found


def test_check_command_exits_non_zero_with_file_and_line(runner, folder):
    assert runner.invoke(args=["playbooks", "check", str(CONTENT)]).exit_code == 0
    (folder / "statements" / "holding-social.en.md").write_text("---\nslug: [\n---\nbody\n")
    result = runner.invoke(args=["playbooks", "check", str(folder)])
    assert result.exit_code == 1
    assert "playbooks/statements/holding-social.en.md:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "old,new,message",
    [
        # a later step falls due after the opening, which therefore cannot have fulfilled it
        (
            "after_minutes: 10\n      target_role: legal\n",
            "after_minutes: 10\n      target_role: legal\n      on_opening: true\n",
            "only a step at minute 0 can be on_opening",
        ),
        ("on_opening: true", "on_opening: 1", "on_opening must be true or false"),
    ],
)
def test_a_step_fulfilled_by_the_opening_is_checked(folder, old, new, message):
    file = folder / "data-breach.en.md"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    assert any(
        p.startswith("playbooks/data-breach.en.md:") and message in p for p in problems_of(folder)
    )
