"""Q&A sheets: questions and approved answers for our own people, and legal's sign-off."""

from __future__ import annotations

from flask import jsonify

from ..library import service
from ..library.content import QaSheet
from ..library.store import get_library
from . import bp
from .helpers import actor, json_body, only_fields, page
from .library import _after_cursor, _language_filter, review_by_of
from .library_spec import LIST_PARAMETERS, SLUG, _errors, _ok, _ref, page_of


def qa_json(sheet: QaSheet, state, full: bool = False) -> dict:
    """A Q&A sheet as the API shows it (its questions and answers when `full`)."""
    shown = {
        "slug": sheet.slug,
        "title": sheet.title,
        "language": sheet.language,
        "twin": sheet.twin,
        "audience": sheet.audience,
        "playbooks": sheet.playbooks,
        "version": sheet.sha256,
        "approval": state.as_dict(),
    }
    if full:
        shown["body"] = sheet.body
        shown["items"] = [
            {
                "id": item.id,
                "question": item.question,
                "answer": item.answer,
                "do_not_say": item.do_not_say,
                "escalate_to": item.escalate_to,
            }
            for item in sheet.items
        ]
    return shown


@bp.get("/qa")
def list_qa():
    """List Q&A sheets with their approval state, by slug."""
    language = _language_filter()
    items = [s for s in get_library().qa.values() if not language or s.language == language]
    chosen = _after_cursor(items, lambda s: s.slug)
    states = service.approval_states(chosen)
    return jsonify(page(chosen, lambda s: qa_json(s, states[s.slug]), lambda s: [s.slug]))


@bp.get("/qa/<slug>")
def get_qa(slug: str):
    """One Q&A sheet with its questions and answers."""
    sheet = service.get_qa(slug)
    return jsonify(qa_json(sheet, service.approval_state(sheet), full=True))


@bp.post("/qa/<slug>/approve")
def approve_qa(slug: str):
    """Legal signs off the sheet's current version."""
    body = only_fields(json_body(), {"review_by"})
    service.approve_qa(slug, actor=actor(), review_by=review_by_of(body))
    sheet = service.get_qa(slug)
    return jsonify(qa_json(sheet, service.approval_state(sheet), full=True))


_TEXT = {"type": "string"}
PATHS = {
    "/qa": {
        "get": {
            "summary": "Q&A sheets for our own people, with their approval state",
            "operationId": "listQa",
            "parameters": LIST_PARAMETERS,
            "responses": {"200": _ok(page_of("Qa")), **_errors("401", "422")},
        }
    },
    "/qa/{slug}": {
        "get": {
            "summary": "One Q&A sheet with its questions and approved answers",
            "operationId": "getQa",
            "parameters": [SLUG],
            "responses": {"200": _ok(_ref("Qa")), **_errors("401", "404")},
        }
    },
    "/qa/{slug}/approve": {
        "post": {
            "summary": "Approve the sheet's current version (role legal)",
            "operationId": "approveQa",
            "parameters": [SLUG],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {"review_by": {"type": "string", "format": "date"}},
                        }
                    }
                },
            },
            "responses": {
                "200": _ok(_ref("Qa")),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        }
    },
}
SCHEMAS = {
    "Qa": {
        "type": "object",
        "required": ["slug", "title", "language", "audience", "playbooks", "version", "approval"],
        "properties": {
            "slug": _TEXT,
            "title": _TEXT,
            "language": _TEXT,
            "twin": {"type": ["string", "null"]},
            "audience": _TEXT,
            "playbooks": {"type": "array", "items": _TEXT},
            "version": _TEXT,
            "approval": {"type": "object"},
            "body": _TEXT,
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "question", "answer", "do_not_say", "escalate_to"],
                    "properties": {
                        "id": _TEXT,
                        "question": _TEXT,
                        "answer": _TEXT,
                        "do_not_say": _TEXT,
                        "escalate_to": _TEXT,
                    },
                },
            },
        },
    }
}
