"""Refuse input no database can store: the NUL character, in a query, a form or a JSON body."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext as _

from .errors import Invalid

NUL = "\x00"


def _refuse(field: str) -> None:
    raise Invalid(
        "nul_character",
        _("Text cannot contain the NUL character; remove it and send again."),
        field=str(field)[:50],
    )


def refuse_nul(value: Any, field: str = "") -> None:
    """Raise 422 if a string anywhere in a JSON value
    holds NUL (PostgreSQL text cannot store it).
    """
    if isinstance(value, str):
        if NUL in value:
            _refuse(field)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, key)
            refuse_nul(item, field or key)
    elif isinstance(value, list):
        for item in value:
            refuse_nul(item, field)


def register_input_guard(app: Flask) -> None:
    """Check query strings and form bodies of every request before a view sees them."""

    @app.before_request
    def _refuse_nul_in_args_and_forms():
        sources = (
            (request.args, request.form) if request.mimetype in _FORM_TYPES else (request.args,)
        )
        for source in sources:
            for key, values in source.lists():
                # a multipart part may come without a readable name or value: nothing to store
                texts = [text for text in (key, *values) if isinstance(text, str)]
                if any(NUL in text for text in texts):
                    _refuse(str(key or "").replace(NUL, ""))


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
