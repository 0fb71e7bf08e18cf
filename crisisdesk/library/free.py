"""Free placeholders: text placeholders legal lets
through unreviewed, optionally by pattern or list.

A value typed into a `text` placeholder is new wording legal has not seen, so it sends the
response to legal, unless legal marked that placeholder free when signing off the statement
version (e.g. a branch name), optionally restricted to a pattern (full match) and/or a list of
allowed values.
"""

from __future__ import annotations

import json
import re
from re import _parser as sre_parse  # the parsed pattern shows its quantifiers exactly

from flask_babel import gettext as _

from ..errors import Invalid
from .placeholders import Placeholder

FIELD = "free_placeholders"
PATTERN_MAX = 200
VALUES_MAX = 100
VALUE_MAX = 500  #: for a text placeholder without max_length
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)


def _invalid(message: str) -> Invalid:
    return Invalid("bad_free_placeholders", message, field=FIELD)


def parse_rules(raw, placeholders: list[Placeholder]) -> dict[str, dict]:
    """Check legal's choice ([name | {name, pattern?, values?}, …]);
    return {name: {pattern, values}}.
    """
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise _invalid(_("free_placeholders must be a list of placeholder names."))
    texts = {
        placeholder.name: placeholder for placeholder in placeholders if placeholder.type == "text"
    }
    rules: dict[str, dict] = {}
    for item in raw:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or set(item) - {"name", "pattern", "values"}:
            raise _invalid(_("Each free placeholder is a name or {name, pattern, values}."))
        name = item.get("name")
        if not isinstance(name, str) or name not in texts:
            raise _invalid(
                _("‘%(name)s’ is not a text placeholder of this statement.", name=str(name)[:50])
            )
        if name in rules:
            raise _invalid(_("‘%(name)s’ is listed twice.", name=name))
        pattern = _pattern(name, item.get("pattern"))
        rules[name] = {
            "pattern": pattern,
            "values": _values(texts[name], item.get("values"), pattern),
        }
    return dict(sorted(rules.items()))


def _pattern(name: str, pattern) -> str | None:
    if pattern is None or pattern == "":
        return None
    if not isinstance(pattern, str):
        raise _invalid(_("The pattern for ‘%(name)s’ must be text.", name=name))
    if len(pattern) > PATTERN_MAX:
        raise _invalid(
            _(
                "The pattern for ‘%(name)s’ can have at most %(n)d characters.",
                name=name,
                n=PATTERN_MAX,
            )
        )
    try:
        parsed = sre_parse.parse(pattern)
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        raise _invalid(
            _("The pattern for ‘%(name)s’ is not a valid regular expression.", name=name)
        ) from None
    if _nested(parsed):
        raise _invalid(
            _(
                "The pattern for ‘%(name)s’ repeats a group that itself repeats (e.g. (a+)+); "
                "such patterns can take forever to check.",
                name=name,
            )
        )
    return pattern


def _values(placeholder: Placeholder, values, pattern: str | None) -> list[str]:
    name = placeholder.name
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise _invalid(_("The allowed values for ‘%(name)s’ must be a list of texts.", name=name))
    cleaned = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if len(cleaned) > VALUES_MAX:
        raise _invalid(
            _("‘%(name)s’ can have at most %(n)d allowed values.", name=name, n=VALUES_MAX)
        )
    limit = placeholder.max_length or VALUE_MAX
    for value in cleaned:
        if len(value) > limit or any(ord(ch) < 32 for ch in value):
            raise _invalid(
                _(
                    "The allowed value “%(value)s” does not fit ‘%(name)s’ "
                    "(one line, at most %(n)d characters).",
                    value=value[:50],
                    name=name,
                    n=limit,
                )
            )
        if pattern is not None and re.fullmatch(pattern, value) is None:
            raise _invalid(
                _(
                    "The allowed value “%(value)s” does not match the pattern for ‘%(name)s’.",
                    value=value[:50],
                    name=name,
                )
            )
    return cleaned


def _children(av):
    """The sub-patterns inside one parsed node's arguments."""
    for item in av if isinstance(av, (tuple, list)) else (av,):
        if isinstance(item, sre_parse.SubPattern):
            yield item
        elif isinstance(item, (tuple, list)):
            yield from _children(item)


def _repeats(sub) -> bool:
    return any(op in _REPEATS or any(_repeats(child) for child in _children(av)) for op, av in sub)


def _nested(sub) -> bool:
    """Whether a quantifier that may repeat more than once
    holds another quantifier (catastrophic backtracking).
    """
    for op, av in sub:
        children = list(_children(av))
        if op in _REPEATS and av[1] > 1 and any(_repeats(child) for child in children):
            return True
        if any(_nested(child) for child in children):
            return True
    return False


def dump_rules(rules: dict[str, dict]) -> str:
    """The rules as the JSON text stored on the approval."""
    return json.dumps(rules, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load_rules(text: str | None) -> dict[str, dict]:
    """The rules stored on an approval ({} for none)."""
    try:
        rules = json.loads(text or "{}")
    except ValueError:
        return {}
    return rules if isinstance(rules, dict) else {}


def allowed(rule: dict | None, value: str) -> bool:
    """Whether a value may go out unreviewed under one placeholder's rule."""
    if not isinstance(rule, dict):
        return False
    if rule.get("values") and value not in rule["values"]:
        return False
    return not rule.get("pattern") or re.fullmatch(rule["pattern"], value) is not None


def held_back(placeholders: list[Placeholder], values: dict, rules: dict[str, dict]) -> list[str]:
    """Names of text placeholders whose (non-empty) value legal has not let through."""
    return [
        placeholder.name
        for placeholder in placeholders
        if placeholder.type == "text"
        and values.get(placeholder.name)
        and not allowed(rules.get(placeholder.name), str(values[placeholder.name]))
    ]
