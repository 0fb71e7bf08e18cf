"""Reading API input: JSON bodies, pagination parameters, cursors."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from ..accounts.models import User
from ..errors import DomainError, Invalid
from ..extensions import db
from ..inputs import refuse_nul
from ..readcache import remembered
from ..web import plain_int

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def actor():
    """The user the request's token belongs to, loaded on first use (cached reads never need it)."""
    if "api_user" not in g:
        g.api_user = db.session.get(User, g.api_principal.id)
    return g.api_user


def remembered_json(key: tuple, build: Callable[[], Any], *, scopes: tuple[str, ...]) -> Response:
    """A JSON answer built once per change of `scopes`, served to every reader (check access first).

    build() reads the request's parameters (the key holds the query string) and the database, never
    the reader.
    """
    body = remembered(key, lambda: current_app.json.dumps(build()).encode() + b"\n", scopes=scopes)
    return current_app.response_class(body, mimetype="application/json")


def json_body() -> dict[str, Any]:
    """Return the request's JSON object.

    400 if it is not JSON or nested too deeply, 422 if it is not an object.
    """
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        text = raw.decode(
            json.detect_encoding(raw), "surrogatepass"
        )  # as json.loads() decodes bytes
        _refuse_deep(text)
        body = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(_("The body is not valid JSON.")) from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(body, dict):
        raise Invalid("not_an_object", _("The body must be a JSON object."))
    refuse_nul(body)
    return body


#: no request of the API nests deeper; walking deeper JSON (here or in the parser) could
#: exhaust the stack
MAX_JSON_DEPTH = 32
#: a string (with its escapes) or a bracket: brackets inside strings do not nest anything.
#: The closing quote is optional so a match never fails and backtracks: the scan stays linear
#: on any input.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _too_deep() -> DomainError:
    return DomainError(
        "too_deep",
        _("The JSON body is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH),
    )


def _refuse_deep(text: str) -> None:
    """Raise 400 if arrays and objects nest deeper than MAX_JSON_DEPTH (a loop, not recursion)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
        elif bracket in ("]", "}"):
            depth -= 1


def only_fields(body: dict, allowed: set[str], *, nullable: frozenset[str] = frozenset()) -> dict:
    """Refuse a body with a field the endpoint does not know, or a null where
    the field needs a value (422 naming it): a null is never read as "not sent".
    """
    unknown = sorted(str(key) for key in set(body) - allowed)
    if unknown:
        raise Invalid(
            "unknown_field",
            _("Unknown field: %(field)s.", field=unknown[0][:50]),
            field=unknown[0][:50],
        )
    nulls = sorted(key for key, value in body.items() if value is None and key not in nullable)
    if nulls:
        raise Invalid(
            "null_field", _("%(field)s needs a value, not null.", field=nulls[0]), field=nulls[0]
        )
    return body


def page_limit() -> int:
    """Read ?limit= (default 50, at most 200)."""
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if plain_int(raw) is None or not 1 <= int(raw) <= MAX_LIMIT:
        raise Invalid(
            "bad_limit",
            _("limit must be a whole number from 1 to %(max)d.", max=MAX_LIMIT),
            field="limit",
        )
    return int(raw)


def encode_cursor(values: list) -> str:
    """Pack the last row's sort key into an opaque cursor."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(length: int) -> list | None:
    """Unpack ?cursor= into a sort key of `length` values, or None for the first page."""
    raw = request.args.get("cursor")
    if not raw:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != length
        or not all(
            isinstance(value, (int, str)) and not isinstance(value, bool) for value in values
        )
    ):
        raise Invalid(
            "bad_cursor", _("The cursor is not valid; start again without it."), field="cursor"
        )
    return values


def number_cursor() -> int | None:
    """?cursor= holding one whole number (an id to go below, an offset), or None at the start."""
    cursor = decode_cursor(1)
    if cursor is None:
        return None
    number = plain_int(cursor[0])
    if number is None:
        raise Invalid(
            "bad_cursor", _("The cursor is not valid; start again without it."), field="cursor"
        )
    return number


def page(items: list, serialise, key) -> dict:
    """Build a page reply from `limit + 1` fetched rows."""
    limit = page_limit()
    more = len(items) > limit
    items = items[:limit]
    return {
        "items": [serialise(item) for item in items],
        "next_cursor": encode_cursor(key(items[-1])) if more and items else None,
    }
