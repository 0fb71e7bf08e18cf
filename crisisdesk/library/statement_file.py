"""Read one statement file: its fields, placeholders, body markers and channel lengths."""

from __future__ import annotations

from ..channels import as_posted, audiences, channels_for, counted_length, limit, names
from .content import Library, Problem, Statement
from .placeholders import DESK_VALUES, NAME, TYPES, Placeholder, fill, markers
from .schema import HELP_MAX, LABEL_MAX, LANGUAGES, SLUG, Checker

STATEMENT_REQUIRED = {"slug", "title", "language", "channels", "placeholders", "owner"}


def _statement(
    check: Checker, parsed, path: str, text: str, sha256: str, library: Library
) -> Statement:
    check.check_keys(STATEMENT_REQUIRED, {"twin", "audience"})
    placeholders = _placeholders(check)
    statement = Statement(
        path=path,
        text=text,
        sha256=sha256,
        slug=check.get_str("slug", SLUG),
        title=check.get_str("title"),
        language=check.get_str("language", choices=LANGUAGES),
        twin=check.get_str("twin", SLUG) or None,
        audience=check.get_str("audience", choices=audiences()),
        channels=check.get_str_list("channels", choices=names()),
        placeholders=placeholders,
        owner=check.get_str("owner"),
        body=parsed.body,
    )
    if "channels" in check.data and not statement.channels:
        check.problem(("channels",), "a statement needs at least one channel")
    for channel in statement.channels:
        reached = channels_for(statement.audience)
        if reached and channel not in reached:
            check.problem(
                ("channels",),
                f"channel {channel} does not reach the audience {statement.audience}"
                f" (it takes {', '.join(reached)})",
            )
    _check_markers(check, statement, parsed.body_first_line)
    statement.body = parsed.body.strip()
    _check_lengths(check, statement, parsed.body_first_line)
    return statement


def _placeholders(check: Checker) -> list[Placeholder]:
    raw = check.data.get("placeholders")
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem(("placeholders",), "'placeholders' must be a list (use [] for none)")
        return []
    result, seen = [], set()
    for index, item in enumerate(raw):
        here = ("placeholders", index)
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not NAME.match(item["name"])
        ):
            check.problem(here, "placeholders need a 'name' in lowercase_snake_case")
            continue
        name, kind = item["name"], item.get("type")
        unknown = set(item) - {"name", "type", "required", "label", "help", "max_length", "options"}
        for key in sorted(str(key) for key in unknown):
            check.problem(here + (key,), f"unknown field '{key}' in placeholder '{name}'")
        max_length, options = item.get("max_length"), item.get("options") or []
        if name in seen:
            check.problem(here, f"duplicate placeholder '{name}'")
        elif kind not in TYPES:
            check.problem(
                here + ("type",),
                f"placeholder '{name}' has unknown type {kind!r} ({', '.join(TYPES)})",
            )
        elif kind == "text" and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        ):
            check.problem(here, f"text placeholder '{name}' needs max_length (a positive number)")
        elif kind == "choice" and (
            not isinstance(options, list)
            or not options
            or not all(isinstance(option, str) and option for option in options)
        ):
            check.problem(here, f"choice placeholder '{name}' needs a list of options")
        elif not isinstance(item.get("required", True), bool):
            check.problem(here + ("required",), f"'required' of '{name}' must be true or false")
        else:
            seen.add(name)
            result.append(
                Placeholder(
                    name,
                    kind,
                    item.get("required", True),
                    check.get_item_text(here, item, "help", HELP_MAX, allow_empty=True),
                    max_length if isinstance(max_length, int) else None,
                    tuple(options),
                    label=check.get_item_text(here, item, "label", LABEL_MAX),
                )
            )
    return result


def _check_markers(check: Checker, statement: Statement, first_line: int) -> None:
    declared = {placeholder.name for placeholder in statement.placeholders}
    used = set()
    for name, offset in markers(statement.body):
        line = first_line + statement.body[:offset].count("\n")
        if name not in declared and name not in DESK_VALUES:
            check.problems.append(
                Problem(check.path, line, f"unknown placeholder '{name}' in body")
            )
        used.add(name)
    for name in sorted(declared - used):
        check.problem(
            ("placeholders",), f"placeholder '{name}' is declared but not used in the body"
        )


def _check_lengths(check: Checker, statement: Statement, first_line: int) -> None:
    # counted as the response will be: filled, as posted on the channel, the platform's way
    # ("X" cannot form a link, so X's shorter count for links never hides a long value)
    longest = {name: "X" * length for name, length in DESK_VALUES.items()}
    longest.update({p.name: "X" * p.longest() for p in statement.placeholders})
    filled = fill(statement.body, longest, markdown=True)
    for channel in statement.channels:
        channel_limit = limit(channel)
        length = counted_length(channel, as_posted(channel, filled))
        if channel_limit is not None and length > channel_limit:
            check.problems.append(
                Problem(
                    check.path,
                    first_line,
                    (
                        f"the text can reach {length} characters with placeholders filled "
                        f"to their maximum; {channel} allows {channel_limit}"
                    ),
                )
            )
