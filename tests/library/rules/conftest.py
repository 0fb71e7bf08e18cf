"""A small content folder of its own for the library's rules: one playbook and two statements
per language, written with the fields a test changes."""

import shutil
from pathlib import Path

import pytest

from crisisdesk.library.loader import load_library

from ..conftest import CONTENT

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
