"""The draft page's live preview: the text as it will be posted, as JSON for its script.

Registered on the responses blueprint (so its sign-in rule holds); CSRFProtect checks the
token the script sends with the form's fields.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError, error_body
from . import draft_preview

#: form fields that are not placeholder values
NOT_VALUES = frozenset({"csrf_token", "statement", "channel"})


def preview(incident_id: int):
    """Fill a statement for a channel with the values so far: {text, length, limit, errors}."""
    data = _input()
    if data is None:
        return jsonify(
            error_body("bad_request", _("The body must be a JSON object."), reason="not_an_object")
        ), 400
    try:
        result = draft_preview.preview_draft(
            incident_id,
            actor=current_user,
            statement_slug=data.get("statement"),
            channel=data.get("channel"),
            values=data.get("values"),
        )
    except DomainError as exc:  # JSON whatever the caller accepts: only a script asks here
        return jsonify(error_body(exc.code, exc.message, exc.field, exc.reason)), exc.status
    return jsonify(result.as_dict())


def _input() -> dict | None:
    """The draft form's own fields (what the script sends), or a JSON object of the same."""
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None
    form = request.form
    return {
        "statement": form.get("statement"),
        "channel": form.get("channel"),
        "values": {name: form.get(name) for name in form if name not in NOT_VALUES},
    }
