"""Demo data for the library: legal's sign-off on every current statement (development only)."""

from __future__ import annotations

from ..errors import Conflict
from ..extensions import db
from . import service
from .store import get_library


def approve_statements_for_demo(users: dict) -> str:
    """Approve, as the demo legal user, each current statement not yet approved; say how many are.

    Each sign-off goes through approve_statement(), so it is on the timeline as legal's own
    `statement_approved` event, for the default year. Every text placeholder is marked free, as
    legal may tick it on the statement's page: a filled statement then goes out without another
    review (the fast path), while an edited text or a free text still goes to legal.
    """
    legal = users["legal"]
    statements = sorted(get_library().statements.values(), key=lambda item: item.slug)
    states = service.approval_states(statements)
    for statement in statements:
        if states[statement.slug].usable:
            continue
        free = [p.name for p in statement.placeholders if p.type == "text"]
        try:
            service.approve_statement(statement.slug, actor=legal, free_placeholders=free)
        except Conflict:  # approved meanwhile, by another process: nothing left to do
            db.session.rollback()
    approved = sum(state.usable for state in service.approval_states(statements).values())
    return (
        f"Statements approved: {approved} of {len(statements)}"
        f" (missing sign-offs given as {legal.username})"
    )
