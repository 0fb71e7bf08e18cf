"""Read one drill script: its playbook, objectives with target times, and timed injects."""

from __future__ import annotations

from ..channels import SOCIAL
from .content import SEVERITIES, DrillScript, Inject, Library, Objective
from .schema import ITEM_ID, LANGUAGES, SLUG, Checker

DRILL_REQUIRED = {
    "slug",
    "title",
    "language",
    "twin",
    "playbook",
    "severity",
    "duration_minutes",
    "objectives",
    "injects",
    "owner",
}
#: what an objective times, from the drill's start
MEASURES = (
    "first_acknowledgement",  #: the first escalation step acknowledged
    "first_draft",  #: the first response drafted
    "first_publication",  #: the first text for the public or the press published (recorded)
    "legal_review",  #: the slowest legal review (sent to legal → decided)
    "staff_informed",  #: the first text for staff published
)
#: what an inject simulates, and the fields each kind needs besides its text
INJECT_KINDS = {
    "social_post": ("platform", "author", "reach"),
    "press_call": ("author",),
    "provider_message": ("author",),
    "severity_change": ("severity",),
    "complaint_wave": ("platform", "count", "over_minutes"),
}
REACTIONS = ("reply", "publish", "note", "acknowledge")
PLATFORMS = SOCIAL  #: the social channels a simulated post appears on
TEXT_MAX = 2000
WAVE_MAX = 500
INJECT_KEYS = {"id", "at_minute", "kind", "text", "expects", "within_minutes"} | {
    key for keys in INJECT_KINDS.values() for key in keys
}


def _drill(check: Checker, parsed, path: str, text: str, sha256: str, _library: Library):
    check.check_keys(DRILL_REQUIRED, set())
    duration = check.get_int("duration_minutes", 1, 24 * 60, 60)
    return DrillScript(
        path=path,
        text=text,
        sha256=sha256,
        slug=check.get_str("slug", SLUG),
        title=check.get_str("title"),
        language=check.get_str("language", choices=LANGUAGES),
        twin=check.get_str("twin", SLUG) or None,
        playbook=check.get_str("playbook", SLUG),
        severity=check.get_int("severity", 1, 4, 2),
        duration_minutes=duration,
        objectives=_objectives(check, duration),
        injects=_injects(check, duration),
        owner=check.get_str("owner"),
        body=parsed.body.strip(),
    )


def _items(check: Checker, key: str) -> list[tuple[tuple, dict]]:
    raw = check.data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        check.problem((key,), f"'{key}' must be a non-empty list")
        return []
    items = []
    for index, item in enumerate(raw):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not ITEM_ID.match(item["id"])
        ):
            check.problem((key, index), f"each of '{key}' needs an 'id' (lowercase slug)")
        elif item["id"] in {seen["id"] for _where, seen in items}:
            check.problem((key, index), f"duplicate id '{item['id']}' in '{key}'")
        else:
            items.append(((key, index), item))
    return items


def _minutes(check: Checker, where: tuple, item: dict, key: str, low: int, high: int) -> int | None:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        check.problem(where + (key,), f"'{key}' must be a whole number from {low} to {high}")
        return None
    return value


def _text(check: Checker, where: tuple, item: dict, key: str = "text") -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > TEXT_MAX:
        check.problem(where + (key,), f"'{key}' must be text of 1 to {TEXT_MAX} characters")
        return ""
    return value.strip()


def _objectives(check: Checker, duration: int) -> list[Objective]:
    result = []
    for where, item in _items(check, "objectives"):
        if set(item) - {"id", "measure", "target_minutes", "text"}:
            check.problem(where, "objectives have only id, measure, target_minutes and text")
            continue
        if item.get("measure") not in MEASURES:
            check.problem(where + ("measure",), f"measure must be one of {', '.join(MEASURES)}")
            continue
        target = _minutes(check, where, item, "target_minutes", 1, duration)
        text = _text(check, where, item)
        if target is not None and text:
            result.append(Objective(item["id"], item["measure"], target, text))
    return result


def _injects(check: Checker, duration: int) -> list[Inject]:
    result = []
    for where, item in _items(check, "injects"):
        kind = item.get("kind")
        if kind not in INJECT_KINDS:
            check.problem(where + ("kind",), f"kind must be one of {', '.join(INJECT_KINDS)}")
            continue
        extra = set(item) - {"id", "at_minute", "kind", "text", "expects", "within_minutes"}
        extra -= set(INJECT_KINDS[kind])
        if extra:
            check.problem(where, f"a {kind} has no {', '.join(sorted(map(str, extra)))}")
            continue
        before = len(check.problems)
        at = _minutes(check, where, item, "at_minute", 0, duration)
        fields = {"text": _text(check, where, item)}
        for key in INJECT_KINDS[kind]:
            fields[key] = _field(check, where, item, key, duration)
        expects, within = item.get("expects"), item.get("within_minutes")
        if (expects is None) != (within is None):
            check.problem(where, "'expects' and 'within_minutes' come together")
        elif expects is not None:
            if expects not in REACTIONS:
                check.problem(
                    where + ("expects",), f"expects must be one of {', '.join(REACTIONS)}"
                )
            _minutes(check, where, item, "within_minutes", 1, duration)
        if len(check.problems) == before:
            result.append(
                Inject(item["id"], at, kind, expects=expects, within_minutes=within, **fields)
            )
    return sorted(result, key=lambda inject: inject.at_minute)


def _field(check: Checker, where: tuple, item: dict, key: str, duration: int):
    if key == "platform":
        if item.get(key) not in PLATFORMS:
            check.problem(where + (key,), f"platform must be one of {', '.join(PLATFORMS)}")
        return item.get(key, "")
    if key == "author":
        return _text(check, where, item, key)
    if key == "reach":
        return _minutes(check, where, item, key, 0, 10**9)
    if key == "severity":
        return _minutes(check, where, item, key, min(SEVERITIES), max(SEVERITIES))
    if key == "count":
        return _minutes(check, where, item, key, 1, WAVE_MAX)
    return _minutes(check, where, item, key, 1, duration)  # over_minutes
