"""Read one Q&A sheet (playbooks/qa/): questions, approved answers, what not to say, who answers."""

from __future__ import annotations

from ..channels import INTERNAL_AUDIENCES
from .content import INCIDENT_ROLES, Library, QaItem, QaSheet
from .schema import ITEM_ID, LANGUAGES, SLUG, Checker

QA_DIR = "qa"
QA_REQUIRED = {"slug", "title", "language", "twin", "audience", "playbooks", "items", "owner"}
#: what a person on the phone can read out in one breath, and keep in mind
QUESTION_MAX, ANSWER_MAX, DO_NOT_SAY_MAX = 200, 600, 300
ITEMS_MAX = 40


def _qa_sheet(check: Checker, parsed, path: str, text: str, sha256: str, _library: Library):
    check.check_keys(QA_REQUIRED, set())
    sheet = QaSheet(
        path=path,
        text=text,
        sha256=sha256,
        slug=check.get_str("slug", SLUG),
        title=check.get_str("title"),
        language=check.get_str("language", choices=LANGUAGES),
        twin=check.get_str("twin", SLUG) or None,
        audience=check.get_str("audience", choices=INTERNAL_AUDIENCES),
        playbooks=check.get_str_list("playbooks", pattern=SLUG),
        items=_items(check),
        owner=check.get_str("owner"),
        body=parsed.body.strip(),
    )
    if "playbooks" in check.data and not sheet.playbooks:
        check.problem(("playbooks",), "a Q&A sheet serves at least one playbook")
    return sheet


def _items(check: Checker) -> list[QaItem]:
    raw = check.data.get("items")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw or len(raw) > ITEMS_MAX:
        check.problem(("items",), f"'items' must be a list of 1 to {ITEMS_MAX} questions")
        return []
    items, seen = [], set()
    for index, item in enumerate(raw):
        where = ("items", index)
        if not isinstance(item, dict):
            check.problem(where, "each item has id, question, answer, do_not_say, escalate_to")
            continue
        unknown = set(item) - {"id", "question", "answer", "do_not_say", "escalate_to"}
        if unknown:
            check.problem(where, f"unknown item field '{sorted(map(str, unknown))[0]}'")
        item_id = item.get("id")
        if not isinstance(item_id, str) or not ITEM_ID.match(item_id):
            check.problem(where, "an item needs an 'id' (lowercase slug)")
            continue
        if item_id in seen:
            check.problem(where, f"duplicate item id '{item_id}'")
            continue
        seen.add(item_id)
        texts = {
            key: check.get_item_text(where, item, key, limit)
            for key, limit in (
                ("question", QUESTION_MAX),
                ("answer", ANSWER_MAX),
                ("do_not_say", DO_NOT_SAY_MAX),
            )
        }
        for key, value in texts.items():
            if not value and key in item:
                continue  # get_item_text said what is wrong
            if not value:
                check.problem(where, f"item '{item_id}' needs '{key}'")
        escalate_to = item.get("escalate_to")
        if escalate_to not in INCIDENT_ROLES:
            check.problem(
                where + ("escalate_to",) if "escalate_to" in item else where,
                f"'escalate_to' must be one of {', '.join(INCIDENT_ROLES)}",
            )
            continue
        if all(texts.values()):
            items.append(QaItem(item_id, **texts, escalate_to=escalate_to))
    return items
