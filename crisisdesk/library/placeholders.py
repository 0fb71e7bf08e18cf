"""Statement placeholders: declared types, value validation, and filling `{{ name }}` markers.

Statement texts are data, never code: filling is a substitution of declared names only,
never a template engine (a status-page tool once shipped remote code execution that way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from flask_babel import gettext as _

from ..errors import Invalid

MARKER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TYPES = ("text", "date", "time", "datetime", "url", "choice", "number")
#: longest rendered value per type, used to check channel limits at authoring time
MAX_RENDERED = {"date": 10, "time": 5, "datetime": 16, "url": 60, "number": 6}
URL_MAX = 500
#: values the desk fills in itself, from configuration: marker name → longest value
DESK_VALUES = {"bank_name": 40}
#: How a value is written into a Markdown document for the desk's renderer (crisisdesk/markdown.py:
#: Python-Markdown with the tables extension, then nh3): a backslash before exactly the characters
#: Python-Markdown unescapes (any other backslash would show), entities for what starts HTML
#: or an entity.
MARKDOWN_ESCAPES = str.maketrans(
    {**{ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!|"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)


@dataclass(frozen=True)
class Placeholder:
    """One declared placeholder of a statement."""

    name: str
    type: str
    required: bool = True
    help: str = ""
    max_length: int | None = None
    options: tuple[str, ...] = ()
    #: what the field is called for people, in the statement's language; empty: the name
    label: str = ""

    def __post_init__(self):
        if not self.label:  # files written before labels existed still read sensibly
            object.__setattr__(self, "label", self.name.replace("_", " "))

    def as_dict(self) -> dict:
        """Serialise for the API."""
        data = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "help": self.help,
        }
        if self.options:
            data["options"] = list(self.options)
        if self.max_length is not None:
            data["max_length"] = self.max_length
        return data

    def longest(self) -> int:
        """The longest text this placeholder can put into a statement."""
        if self.type == "text":
            return self.max_length or 0
        if self.type == "choice":
            return max((len(option) for option in self.options), default=0)
        return self.max_length or MAX_RENDERED[self.type]


def markers(body: str) -> list[tuple[str, int]]:
    """Return (name, offset) for every `{{ … }}` marker in a body."""
    return [(match.group(1), match.start()) for match in MARKER.finditer(body)]


def validate_values(placeholders: list[Placeholder], values: dict, language: str) -> dict[str, str]:
    """Check submitted values against their declared types; return them rendered as text."""
    if not isinstance(values, dict):
        raise Invalid(
            "bad_values", _("values must be an object of placeholder names."), field="values"
        )
    declared = {placeholder.name: placeholder for placeholder in placeholders}
    unknown = sorted(str(name) for name in values if name not in declared)
    if unknown:
        raise Invalid(
            "unknown_placeholder",
            _("Unknown placeholder: %(names)s.", names=", ".join(unknown)),
            field=f"values.{unknown[0]}",
        )
    rendered = {}
    for placeholder in placeholders:
        raw = values.get(placeholder.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if placeholder.required:
                raise Invalid(
                    "missing_placeholder",
                    _("Please fill in %(name)s.", name=placeholder.label),
                    field=f"values.{placeholder.name}",
                )
            rendered[placeholder.name] = ""
            continue
        rendered[placeholder.name] = _render_value(placeholder, raw, language)
    return rendered


def validate_each(
    placeholders: list[Placeholder], values: dict, language: str
) -> tuple[dict, dict]:
    """Check every value on its own; return (rendered values, error message per name) for forms."""
    rendered, errors = {}, {}
    for placeholder in placeholders:
        try:
            rendered.update(
                validate_values(
                    [placeholder], {placeholder.name: values.get(placeholder.name)}, language
                )
            )
        except Invalid as exc:
            errors[placeholder.name] = exc.message
    return rendered, errors


def _render_value(placeholder: Placeholder, raw, language: str) -> str:
    field = f"values.{placeholder.name}"
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise Invalid("bad_value", _("%(name)s must be text.", name=placeholder.label), field=field)
    value = str(raw).strip()
    if any(ord(ch) < 32 for ch in value):
        raise Invalid(
            "bad_value", _("%(name)s must be a single line.", name=placeholder.label), field=field
        )
    kind = placeholder.type
    try:
        if kind == "date":
            return _format_date(date.fromisoformat(value), language)
        if kind == "time":
            return time.fromisoformat(value).strftime("%H:%M")
        if kind == "datetime":
            moment = datetime.fromisoformat(value)
            return f"{_format_date(moment.date(), language)} {moment.strftime('%H:%M')}"
        if kind == "number":
            float(value.replace(",", "."))
            if len(value) > 20:
                raise ValueError
            return value
    except ValueError:
        messages = {
            "date": _("%(name)s must be a date (YYYY-MM-DD).", name=placeholder.label),
            "time": _("%(name)s must be a time (HH:MM).", name=placeholder.label),
            "datetime": _(
                "%(name)s must be a date and time (YYYY-MM-DDTHH:MM).", name=placeholder.label
            ),
            "number": _("%(name)s must be a number.", name=placeholder.label),
        }
        raise Invalid("bad_value", messages[kind], field=field) from None
    if kind == "url":
        return _check_url(placeholder, value, field)
    if kind == "choice" and value not in placeholder.options:
        raise Invalid(
            "bad_value",
            _(
                "%(name)s must be one of: %(options)s.",
                name=placeholder.label,
                options=", ".join(placeholder.options),
            ),
            field=field,
        )
    if placeholder.max_length and len(value) > placeholder.max_length:
        raise Invalid(
            "too_long",
            _(
                "%(name)s can have at most %(n)d characters.",
                name=placeholder.label,
                n=placeholder.max_length,
            ),
            field=field,
        )
    return value


def _check_url(placeholder: Placeholder, value: str, field: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:  # brackets around no valid IPv6 address: no address at all
        parts = urlsplit("")
    limit = placeholder.max_length or URL_MAX
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or " " in value
        or len(value) > limit
    ):
        raise Invalid(
            "bad_url",
            _("%(name)s must be an http(s) address.", name=placeholder.label),
            field=field,
        )
    return value


def _format_date(value: date, language: str) -> str:
    return value.strftime("%d.%m.%Y") if language == "de" else value.isoformat()


def escape_markdown(value: str) -> str:
    """Escape Markdown syntax so a value shows exactly as typed, and only as text, once rendered."""
    escaped = value.translate(MARKDOWN_ESCAPES)
    if "=" in value and not value.strip(
        "= \t"
    ):  # a line of "=" alone would turn the line above into a heading
        escaped = escaped.replace("=", "&#61;")
    return escaped


def desk_values() -> dict[str, str]:
    """The values the desk fills in from configuration (the bank's name)."""
    if not has_app_context():
        return {}
    return {"bank_name": current_app.config["BANK_NAME"]}


def fill(body: str, rendered: dict[str, str], markdown: bool = False) -> str:
    """Put rendered values into the body's markers (only declared names are ever replaced)."""
    rendered = {**desk_values(), **rendered}

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in rendered:
            return match.group(0)
        return escape_markdown(rendered[name]) if markdown else rendered[name]

    return MARKER.sub(substitute, body).strip()
