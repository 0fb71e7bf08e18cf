"""Load a content folder into a Library, reporting every problem with file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .content import (
    INCIDENT_ROLES,
    PHASES,
    ChecklistItem,
    DrillScript,
    Library,
    Playbook,
    Problem,
    QaSheet,
    Statement,
    Step,
)
from .cross_checks import cross_check
from .drill_file import _drill
from .qa_file import QA_DIR, _qa_sheet
from .rules import check_wording
from .schema import ITEM_ID, LANGUAGES, SLUG, Checker
from .statement_file import STATEMENT_REQUIRED, _statement
from .yaml_lines import YamlProblem, parse_front_matter, parse_yaml

PLAYBOOK_REQUIRED = {
    "slug",
    "title",
    "language",
    "twin",
    "default_severity",
    "triggers",
    "roles",
    "checklist",
    "statements",
    "update_cadence_minutes",
    "owner",
    "review_by",
}
POLICY_FILE = "escalation.yaml"
#: the folder of dark pages: statements for the public website, prepared before a crisis
DARK_DIR = "dark"
#: the folder of drill scripts: scenarios rehearsed on the real desk
DRILL_DIR = "drills"
CRITERION_MAX = 200

__all__ = [
    "PLAYBOOK_REQUIRED",
    "POLICY_FILE",
    "STATEMENT_REQUIRED",
    "drill_from_text",
    "load_library",
    "playbook_from_text",
]


def load_library(content_dir: str | Path) -> Library:
    """Read every playbook, statement and the escalation policy under `content_dir`."""
    root = Path(content_dir)
    library = Library()
    if not root.is_dir():
        library.problems.append(Problem(str(root), 1, "content folder does not exist"))
        return library
    _load_policy(root, library)
    for file in sorted(root.glob("*.md")):
        _load_file(root, file, library, _playbook)
    for file in sorted((root / "statements").glob("*.md")):
        _load_file(root, file, library, _statement)
    for file in sorted((root / DARK_DIR).glob("*.md")):
        _load_file(root, file, library, _dark_page)
    for file in sorted((root / DRILL_DIR).glob("*.md")):
        _load_file(root, file, library, _drill)
    for file in sorted((root / QA_DIR).glob("*.md")):
        _load_file(root, file, library, _qa_sheet)
    cross_check(library, DARK_DIR)
    check_wording(root, library)
    return library


def _display(root: Path, file: Path) -> str:
    return str(file.relative_to(root.parent))


def _read(root: Path, file: Path, library: Library) -> tuple[str, str] | None:
    try:
        raw = file.read_bytes()
        return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()
    except (OSError, UnicodeDecodeError) as exc:
        library.problems.append(Problem(_display(root, file), 1, f"cannot read the file: {exc}"))
        return None


def _load_policy(root: Path, library: Library) -> None:
    file = root / POLICY_FILE
    path = _display(root, file)
    if not file.exists():
        library.problems.append(Problem(path, 1, "the shared escalation policy is missing"))
        return
    read = _read(root, file, library)
    if read is None:
        return
    try:
        located = parse_yaml(read[0])
    except YamlProblem as exc:
        library.problems.append(Problem(path, exc.line, exc.message))
        return
    for language in LANGUAGES:
        # report problems once (for the first language); both languages share the structure
        problems = library.problems if language == LANGUAGES[0] else []
        checker = Checker(path, located, problems)
        checker.check_keys({"policy"}, set())
        library.policy[language] = checker.get_severity_map(
            "policy", lambda where, value, lang=language, c=checker: c.steps(where, value, lang)
        )


def _load_file(root: Path, file: Path, library: Library, build) -> None:
    path = _display(root, file)
    read = _read(root, file, library)
    if read is None:
        return
    text, sha256 = read
    try:
        parsed = parse_front_matter(text)
    except YamlProblem as exc:
        library.problems.append(Problem(path, exc.line, exc.message))
        return
    before = len(library.problems)
    item = build(Checker(path, parsed.meta, library.problems), parsed, path, text, sha256, library)
    if len(library.problems) > before or item is None:
        return  # a file with problems is not offered to anyone
    target = (
        library.playbooks
        if isinstance(item, Playbook)
        else library.drills
        if isinstance(item, DrillScript)
        else library.qa
        if isinstance(item, QaSheet)
        else library.statements
    )
    kinds = (library.playbooks, library.statements, library.drills, library.qa)
    if any(item.slug in kind for kind in kinds):
        library.problems.append(
            Problem(path, parsed.meta.line("slug"), f"duplicate slug '{item.slug}'")
        )
        return
    target[item.slug] = item


def _playbook(
    check: Checker, parsed, path: str, text: str, sha256: str, library: Library
) -> Playbook:
    check.check_keys(
        PLAYBOOK_REQUIRED,
        {"escalation", "severity_criteria", "contacts", "dark_page", "internal_first_minutes"},
    )
    language = check.get_str("language", choices=LANGUAGES)
    checklist, seen = [], set()
    raw_checklist = check.data.get("checklist")
    if raw_checklist is not None and not isinstance(raw_checklist, list):
        check.problem(("checklist",), "'checklist' must be a list of {id, text}")
    for index, item in enumerate(raw_checklist if isinstance(raw_checklist, list) else []):
        if isinstance(item, dict) and item.get("phase", "") not in ("", *PHASES):
            check.problem(
                ("checklist", index, "phase"), f"phase must be one of {', '.join(PHASES)}"
            )
        elif isinstance(item, dict) and set(item) - {"id", "text", "phase"}:
            check.problem(("checklist", index), "checklist items have only id, text and phase")
        elif (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not ITEM_ID.match(item["id"])
            or not isinstance(item.get("text"), str)
            or not item["text"].strip()
        ):
            check.problem(
                ("checklist", index), "checklist items need an 'id' (lowercase slug) and a 'text'"
            )
        elif item["id"] in seen:
            check.problem(("checklist", index), f"duplicate checklist id '{item['id']}'")
        else:
            seen.add(item["id"])
            checklist.append(ChecklistItem(item["id"], item["text"].strip(), item.get("phase", "")))
    escalation: dict[int, list[Step]] = {}
    if "escalation" in check.data:
        escalation = check.get_severity_map(
            "escalation", lambda where, value: check.steps(where, value, None)
        )
    cadence = check.get_severity_map(
        "update_cadence_minutes", lambda where, value: _cadence(check, where, value)
    )
    return Playbook(
        path=path,
        text=text,
        sha256=sha256,
        slug=check.get_str("slug", SLUG),
        title=check.get_str("title"),
        language=language,
        twin=check.get_str("twin", SLUG) or None,
        default_severity=check.get_int("default_severity", 1, 4, 2),
        internal_first_minutes=check.get_int("internal_first_minutes", 0, 240, 0),
        severity_criteria=check.get_severity_map(
            "severity_criteria", lambda where, value: _criterion(check, where, value)
        ),
        triggers=check.get_str_list("triggers"),
        roles=check.get_str_list("roles", choices=INCIDENT_ROLES),
        checklist=checklist,
        statements=check.get_str_list("statements", pattern=SLUG),
        contacts=check.get_str_list("contacts", pattern=SLUG),
        dark_page=check.get_str("dark_page", SLUG) or None,
        escalation=escalation or library.policy.get(language or "de", {}),
        inherits_policy=not escalation,
        update_cadence_minutes=cadence,
        owner=check.get_str("owner"),
        review_by=check.get_date("review_by"),
        body=parsed.body.strip(),
    )


def _criterion(check: Checker, where: tuple, value) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > CRITERION_MAX:
        check.problem(
            where, f"a severity criterion is one line of at most {CRITERION_MAX} characters"
        )
        return ""
    return value.strip()


def _cadence(check: Checker, where: tuple, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 7 * 24 * 60:
        check.problem(where, f"update cadence must be 1-10080 minutes (a week): {value!r}")
        return 60
    return value


def _dark_page(
    check: Checker, parsed, path: str, text: str, sha256: str, library: Library
) -> Statement:
    # a dark page is a statement for the public on our website, and nothing else
    page = _statement(check, parsed, path, text, sha256, library)
    page.dark = True
    if page.audience != "public":
        check.problem(("audience",), "a dark page is for the audience public")
    if page.channels and page.channels != ["website"]:
        check.problem(("channels",), "a dark page has the one channel website")
    return page


def drill_from_text(text: str, path: str, sha256: str):
    """Rebuild a stored drill script version (as a drill started with it); None if broken."""
    try:
        parsed = parse_front_matter(text)
    except YamlProblem:
        return None
    problems: list[Problem] = []
    script = _drill(Checker(path, parsed.meta, problems), parsed, path, text, sha256, Library())
    return script if not problems else None


def playbook_from_text(text: str, path: str, sha256: str, policy: dict) -> Playbook | None:
    """Rebuild a stored playbook version (as an incident opened it); None if it no longer parses."""
    try:
        parsed = parse_front_matter(text)
    except YamlProblem:
        return None
    problems: list[Problem] = []
    playbook = _playbook(
        Checker(path, parsed.meta, problems), parsed, path, text, sha256, Library(policy=policy)
    )
    return playbook if not problems else None
