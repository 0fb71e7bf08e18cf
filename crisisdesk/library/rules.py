"""The library's editorial rules (wording.yaml, maintained by legal) and its structural rules.

These run on the content folder (`flask playbooks check`, the desk's library), never on stored
versions: an incident opened under last year's playbook still reads it as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .content import PHASES, Library, Playbook, Problem, Statement
from .placeholders import markers
from .yaml_lines import YamlProblem, parse_yaml

WORDING_FILE = "wording.yaml"
#: every playbook names this checklist item: the next shift must not start from nothing
HANDOVER = "handover"
PHASE_ORDER = tuple(PHASES)
#: texts that arrive unasked (an SMS, a letter, an e-mail) must say who sends them, or they look
#: like the smishing they warn about
SIGNED_AUDIENCES = ("customers", "affected", "members", "platform")
#: the first statement a playbook lists is its holding statement: for the public or the press
HOLDING_AUDIENCES = ("public", "press")


@dataclass
class Wording:
    """What legal asks of every text, per language."""

    promises: dict[str, list[str]] = field(default_factory=dict)
    overclaims: dict[str, list[str]] = field(default_factory=dict)
    reveals: dict[str, list[str]] = field(default_factory=dict)
    avoid: dict[str, dict[str, str]] = field(default_factory=dict)
    secrecy: dict[str, str] = field(default_factory=dict)
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def avoided(self, language: str, text: str) -> list[tuple[str, str]]:
        """(word, what to say instead) for each avoided word the text uses."""
        return [
            (word, instead)
            for word, instead in self.avoid.get(language, {}).items()
            if re.search(rf"(?<!\w){re.escape(word)}", text)
        ]

    def named_roles(self, language: str, text: str) -> list[str]:
        """The escalation roles a checklist text names (by their words in wording.yaml)."""
        return [
            role
            for role, words in self.roles.items()
            if any(
                re.search(rf"(?<!\w){re.escape(word)}", text, re.IGNORECASE)
                for word in words.get(language, [])
            )
        ]


def check_wording(root: Path, library: Library) -> None:
    """Add a problem for every rule a playbook or statement of the folder breaks."""
    wording = _load_wording(root, library)
    if wording is None:
        return
    for playbook in library.playbooks.values():
        for line, message in playbook_problems(playbook, wording):
            library.problems.append(Problem(playbook.path, line, message))
        first = library.statements.get(playbook.statements[0]) if playbook.statements else None
        if first is None or first.audience not in HOLDING_AUDIENCES:
            library.problems.append(
                Problem(
                    playbook.path,
                    _line(playbook, "statements:"),
                    "the first statement must be a holding statement for the public or the press",
                )
            )
    for statement in library.statements.values():
        for line, message in statement_problems(statement, wording):
            library.problems.append(Problem(statement.path, line, message))


def _load_wording(root: Path, library: Library) -> Wording | None:
    file = root / WORDING_FILE
    path = str(file.relative_to(root.parent))
    try:
        data = parse_yaml(file.read_text(encoding="utf-8")).data
    except OSError:
        library.problems.append(Problem(path, 1, "the wording rules are missing"))
        return None
    except YamlProblem as exc:
        library.problems.append(Problem(path, exc.line, exc.message))
        return None
    try:
        wording = Wording(
            promises=_phrases(data["promises"]),
            overclaims=_phrases(data["overclaims"]),
            reveals=_phrases(data["reveals"]),
            avoid={
                str(k): {str(w): str(i) for w, i in v.items()} for k, v in data["avoid"].items()
            },
            secrecy={str(k): str(v) for k, v in data["secrecy"].items()},
            roles={
                str(role): {str(k): [str(w) for w in v] for k, v in words.items()}
                for role, words in data["roles"].items()
            },
        )
    except (KeyError, TypeError, AttributeError):
        library.problems.append(
            Problem(
                path,
                1,
                "wording.yaml needs mappings promises, overclaims, reveals, avoid, secrecy, roles",
            )
        )
        return None
    return wording


def _phrases(value) -> dict[str, list[str]]:
    return {
        str(language): [str(phrase) for phrase in phrases] for language, phrases in value.items()
    }


def playbook_problems(playbook: Playbook, wording: Wording) -> list[tuple[int, str]]:
    """(line, message) for each rule the playbook breaks."""
    found = _common(playbook, wording)
    if sorted(playbook.severity_criteria) != [1, 2, 3, 4]:
        found.append((1, "severity_criteria must say what makes this a 1, 2, 3 and 4"))
    phases = [item.phase for item in playbook.checklist]
    for item in playbook.checklist:
        if not item.phase:
            found.append((_line(playbook, item.id), f"checklist item '{item.id}' needs a phase"))
    if all(phases) and phases != sorted(phases, key=PHASE_ORDER.index):
        found.append((_line(playbook, "checklist:"), "checklist items must be in phase order"))
    if not any(item.id == HANDOVER and item.phase == "first-day" for item in playbook.checklist):
        found.append(
            (_line(playbook, "checklist:"), "the checklist needs a 'handover' item (first-day)")
        )
    secrecy = wording.secrecy.get(playbook.language, "")
    if secrecy and secrecy.casefold() not in playbook.body.casefold():
        found.append((1, f"the guidance must state the rule of {secrecy}"))
    found.extend(_late_roles(playbook, wording))
    for severity, steps in sorted(playbook.escalation.items()):
        # due at the opening itself, a step nobody took on is overdue the moment the room opens
        if any(step.after_minutes == 0 and not step.on_opening for step in steps):
            found.append(
                (
                    _line(playbook, "escalation:"),
                    f"at severity {severity} a step at minute 0 that the opening does not take "
                    "on is overdue at once: give it a minute or more",
                )
            )
    return found


def _late_roles(playbook: Playbook, wording: Wording) -> list[tuple[int, str]]:
    """A checklist item that names a role due before that role is told: at the playbook's default
    severity and every more serious one, the role's first step must come by the phase's end."""
    found = []
    for item in playbook.checklist:
        deadline = PHASES.get(item.phase)
        if deadline is None:
            continue
        for role in wording.named_roles(playbook.language, item.text):
            for severity in range(1, playbook.default_severity + 1):
                told = [
                    step.after_minutes
                    for step in playbook.escalation.get(severity, [])
                    if step.target_role == role
                ]
                if not told or min(told) > deadline:
                    when = f"after {min(told)} minutes" if told else "never"
                    found.append(
                        (
                            _line(playbook, f"id: {item.id}"),
                            f"checklist item '{item.id}' ({item.phase}) needs {role}, but at "
                            f"severity {severity} the escalation tells {role} {when}",
                        )
                    )
    return found


def statement_problems(statement: Statement, wording: Wording) -> list[tuple[int, str]]:
    """(line, message) for each rule the statement breaks."""
    found = _common(statement, wording)
    if not statement.audience:
        found.append((1, "missing field 'audience'"))
    said = " ".join(
        [statement.body, *(o for p in statement.placeholders for o in p.options)]
    ).casefold()
    checks = [
        (wording.promises, "promises compensation"),
        (wording.overclaims, "claims more than anyone can know"),
    ]
    if statement.audience == "commenter":  # in public, about one person
        checks.append((wording.reveals, "tells the public the person is a customer"))
    for phrases, why in checks:
        for phrase in phrases.get(statement.language, []):
            if phrase.casefold() in said:
                found.append((_line(statement, phrase), f"'{phrase}' {why} (wording.yaml)"))
    if statement.audience in SIGNED_AUDIENCES and "bank_name" not in {
        name for name, _offset in markers(statement.body)
    }:
        found.append(
            (1, f"a text for {statement.audience} must name its sender: {{{{ bank_name }}}}")
        )
    secrecy = wording.secrecy.get(statement.language, "")
    if statement.audience == "commenter" and secrecy.casefold() not in said:
        found.append((1, f"a public reply to one person must state {secrecy}"))
    return found


def _common(item: Playbook | Statement, wording: Wording) -> list[tuple[int, str]]:
    return [
        (_line(item, word, exact=True), f"say '{instead}', not '{word}' (wording.yaml)")
        for word, instead in wording.avoided(item.language, item.text)
    ]


def _line(item: Playbook | Statement, needle: str, exact: bool = False) -> int:
    for number, line in enumerate(item.text.splitlines(), start=1):
        if needle in line if exact else needle.casefold() in line.casefold():
            return number
    return 1
