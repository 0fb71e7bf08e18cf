"""Check one content file's front matter field by field, collecting problems with lines."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..accounts.models import USER_ROLES
from .content import SEVERITIES, Problem, Step
from .yaml_lines import Located

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_ID = SLUG
LANGUAGES = ("de", "en")
#: a placeholder's label names a form field: short enough for a phone's width
LABEL_MAX = 80
HELP_MAX = 500


class Checker:
    """Collects problems for one file; each `get_*` returns a clean value or a fallback."""

    def __init__(self, path: str, meta: Located, problems: list[Problem]):
        self.path, self.meta, self.problems = path, meta, problems
        self.data = meta.data if isinstance(meta.data, dict) else {}
        if not isinstance(meta.data, dict):
            self.problem((), "the front matter must be a mapping of fields")

    def problem(self, where: tuple, message: str) -> None:
        self.problems.append(Problem(self.path, self.meta.line(*where), message))

    def check_keys(self, required: set[str], optional: set[str]) -> None:
        for key in sorted(required - set(self.data)):
            self.problem((), f"missing field '{key}'")
        for key in sorted(str(key) for key in set(self.data) - required - optional):
            self.problem((key,), f"unknown field '{key}'")

    def get_str(self, key: str, pattern: re.Pattern | None = None, choices=None) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem((key,), f"'{key}' must be non-empty text")
            return ""
        if pattern and not pattern.match(value):
            self.problem(
                (key,), f"'{key}' must be lowercase letters, digits and hyphens: {value!r}"
            )
        if choices and value not in choices:
            self.problem((key,), f"'{key}' must be one of {', '.join(choices)}: {value!r}")
        return value.strip()

    def get_int(self, key: str, low: int, high: int, fallback: int) -> int:
        value = self.data.get(key)
        if value is None:
            return fallback
        if not _is_int(value) or not low <= value <= high:
            self.problem((key,), f"'{key}' must be a whole number from {low} to {high}: {value!r}")
            return fallback
        return value

    def get_date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        self.problem((key,), f"'{key}' must be a date (YYYY-MM-DD): {value!r}")
        return None

    def get_str_list(self, key: str, choices=None, pattern: re.Pattern | None = None) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list")
            return []
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem((key, index), f"'{key}' item {index + 1} must be non-empty text")
            elif choices and item not in choices:
                self.problem(
                    (key, index), f"unknown {key[:-1] if key.endswith('s') else key} '{item}'"
                )
            elif pattern and not pattern.match(item):
                self.problem((key, index), f"'{key}' item {item!r} must be a lowercase slug")
            else:
                result.append(item.strip())
        return result

    def get_item_text(
        self, where: tuple, item: dict, key: str, max_length: int, allow_empty: bool = False
    ) -> str:
        """A list item's optional single-line text (a placeholder's label or help); '' if absent."""
        value = item.get(key)
        if value is None or (allow_empty and value == ""):
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(where + (key,), f"'{key}' must be non-empty text")
            return ""
        if len(value.strip()) > max_length:
            self.problem(where + (key,), f"'{key}' can have at most {max_length} characters")
            return ""
        if any(ord(ch) < 32 for ch in value):
            self.problem(where + (key,), f"'{key}' must be a single line")
            return ""
        return value.strip()

    def get_severity_map(self, key: str, check_value) -> dict[int, Any]:
        """A mapping with exactly the severities 1..4 as keys."""
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem((key,), f"'{key}' must map severities 1-4")
            return {}
        result = {}
        for severity in value:
            if severity not in SEVERITIES:
                self.problem(
                    (key, severity), f"'{key}' has an unknown severity {severity!r} (use 1-4)"
                )
        for severity in SEVERITIES:
            if severity not in value:
                self.problem((key,), f"'{key}' is missing severity {severity}")
            else:
                result[severity] = check_value((key, severity), value[severity])
        return result

    def steps(self, where: tuple, value, language: str | None) -> list[Step]:
        """Escalation steps; `language` picks from {de:, en:} actions (the shared policy)."""
        if not isinstance(value, list) or not value:
            self.problem(where, "escalation steps must be a non-empty list")
            return []
        steps = []
        for index, raw in enumerate(value):
            here = where + (index,)
            if not isinstance(raw, dict):
                self.problem(here, "an escalation step needs after_minutes, target_role and action")
                continue
            unknown = set(raw) - {
                "after_minutes",
                "target_role",
                "action",
                "on_opening",
                "target_duty",
                "repeat_after",
                "fallback_duty",
            }
            for key in sorted(str(key) for key in unknown):
                self.problem(here + (key,), f"unknown field '{key}' in escalation step")
            minutes, role = raw.get("after_minutes"), raw.get("target_role")
            action = raw.get("action")
            if isinstance(action, dict) and language is not None:
                for needed in LANGUAGES:
                    if (
                        not isinstance(action.get(needed), str)
                        or not action.get(needed, "").strip()
                    ):
                        self.problem(
                            here + ("action",), f"escalation action needs a '{needed}' text"
                        )
                action = action.get(language)
            if not _is_int(minutes) or not 0 <= minutes <= 7 * 24 * 60:
                self.problem(
                    here + ("after_minutes",), f"after_minutes must be 0-10080: {minutes!r}"
                )
            elif role not in USER_ROLES:
                self.problem(
                    here + ("target_role",),
                    f"target_role must be one of {', '.join(USER_ROLES)}: {role!r}",
                )
            elif not isinstance(action, str) or not action.strip():
                self.problem(here + ("action",), "escalation step needs an action text")
            elif not isinstance(raw.get("on_opening", False), bool):
                self.problem(here + ("on_opening",), "on_opening must be true or false")
            elif raw.get("on_opening") and minutes != 0:
                # a later step is due after the opening, so the opening cannot have fulfilled it
                self.problem(here + ("on_opening",), "only a step at minute 0 can be on_opening")
            elif self._rules_ok(here, raw):
                steps.append(
                    Step(
                        minutes,
                        role,
                        action.strip(),
                        bool(raw.get("on_opening")),
                        raw.get("target_duty"),
                        raw.get("repeat_after"),
                        raw.get("fallback_duty"),
                    )
                )
        return sorted(steps, key=lambda step: step.after_minutes)

    def _rules_ok(self, here: tuple, raw: dict) -> bool:
        """A step's duties are slugs, and its repeat a wait of 1-240 minutes between rules."""
        for key in ("target_duty", "fallback_duty"):
            value = raw.get(key)
            if value is not None and (not isinstance(value, str) or not SLUG.match(value)):
                self.problem(here + (key,), f"{key} must be a duty's short name: {value!r}")
                return False
        repeat = raw.get("repeat_after")
        if repeat is not None and (not _is_int(repeat) or not 1 <= repeat <= 240):
            self.problem(here + ("repeat_after",), f"repeat_after must be 1-240: {repeat!r}")
            return False
        if repeat is None and (raw.get("target_duty") or raw.get("fallback_duty")):
            self.problem(here + ("repeat_after",), "a step with a duty says when to move on")
            return False
        return True


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
