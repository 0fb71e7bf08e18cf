"""Library endpoints: playbooks, statements, legal sign-off."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _

from ..errors import Invalid
from ..library import service
from ..library.content import Playbook, Statement
from ..library.store import get_library
from . import bp
from .helpers import actor, decode_cursor, json_body, page, page_limit


def playbook_summary(playbook: Playbook) -> dict:
    """A playbook as listed."""
    return {
        "slug": playbook.slug,
        "title": playbook.title,
        "language": playbook.language,
        "version": playbook.sha256,
        "default_severity": playbook.default_severity,
        "statements": playbook.statements,
    }


def playbook_json(playbook: Playbook) -> dict:
    """A playbook with its guidance, checklist and escalation policy."""
    return {
        **playbook_summary(playbook),
        "twin": playbook.twin,
        "triggers": playbook.triggers,
        "roles": playbook.roles,
        "html": str(playbook.html),
        "owner": playbook.owner,
        "review_by": playbook.review_by.isoformat() if playbook.review_by else None,
        "severity_criteria": {str(k): v for k, v in sorted(playbook.severity_criteria.items())},
        "contacts": playbook.contacts,
        "checklist": [
            {"id": item.id, "text": item.text, "phase": item.phase or None}
            for item in playbook.checklist
        ],
        "escalation": {
            str(severity): [step.as_dict() for step in steps]
            for severity, steps in sorted(playbook.escalation.items())
        },
        "update_cadence_minutes": {
            str(k): v for k, v in sorted(playbook.update_cadence_minutes.items())
        },
    }


def statement_json(statement: Statement, state) -> dict:
    """A statement with its placeholders and approval state."""
    return {
        "slug": statement.slug,
        "title": statement.title,
        "language": statement.language,
        "audience": statement.audience or None,
        "channels": statement.channels,
        "version": statement.sha256,
        "placeholders": [placeholder.as_dict() for placeholder in statement.placeholders],
        "approval": state.as_dict(),
        "body": statement.body,
    }


def _language_filter():
    language = request.args.get("language")
    if language is None:
        return ""
    if language not in ("de", "en"):
        raise Invalid("bad_language", _("language must be de or en."), field="language")
    return language


def _after_cursor(items: list, key) -> list:
    cursor = decode_cursor(1)
    ordered = sorted(items, key=key)
    if cursor is not None:
        ordered = [item for item in ordered if key(item) > str(cursor[0])]
    return ordered[: page_limit() + 1]


def review_by_of(body: dict) -> date | None:
    """The body's `review_by` day, or None when not sent; 422 when it is not YYYY-MM-DD."""
    review_by = body.get("review_by")
    if review_by is None:
        return None
    try:
        return date.fromisoformat(review_by) if isinstance(review_by, str) else _bad_review_by()
    except ValueError:
        return _bad_review_by()


def _bad_review_by():
    raise Invalid("bad_review_by", _("review_by must be a date (YYYY-MM-DD)."), field="review_by")


@bp.get("/playbooks")
def list_playbooks():
    """List playbooks, by slug."""
    language = _language_filter()
    items = [p for p in get_library().playbooks.values() if not language or p.language == language]
    return jsonify(
        page(_after_cursor(items, lambda p: p.slug), playbook_summary, lambda p: [p.slug])
    )


@bp.get("/playbooks/<slug>")
def get_playbook(slug: str):
    """One playbook in full."""
    return jsonify(playbook_json(service.get_playbook(slug)))


@bp.get("/statements")
def list_statements():
    """List statements with their approval state, by slug."""
    language = _language_filter()
    items = [s for s in get_library().statements.values() if not language or s.language == language]
    chosen = _after_cursor(items, lambda s: s.slug)
    states = service.approval_states(chosen)
    return jsonify(page(chosen, lambda s: statement_json(s, states[s.slug]), lambda s: [s.slug]))


@bp.get("/statements/<slug>")
def get_statement(slug: str):
    """One statement with its text."""
    statement = service.get_statement(slug)
    return jsonify(statement_json(statement, service.approval_state(statement)))


@bp.post("/statements/<slug>/approve")
def approve_statement(slug: str):
    """Legal signs off the statement's current version,
    naming the text placeholders it lets through.
    """
    body = json_body()
    service.approve_statement(
        slug,
        actor=actor(),
        review_by=review_by_of(body),
        free_placeholders=body.get("free_placeholders"),
    )
    statement = service.get_statement(slug)
    return jsonify(statement_json(statement, service.approval_state(statement)))
