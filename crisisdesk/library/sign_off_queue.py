"""Legal's sign-off queue: what is unapproved, expired or expiring soon, with what changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ..accounts.permissions import require_role
from ..extensions import db
from .content import QaSheet, Statement
from .models import StatementApproval
from .service import EXPIRING_SOON_DAYS, ApprovalState, approval_states, desk_today
from .store import get_library


@dataclass
class QueueEntry:
    """A statement or Q&A sheet waiting for legal, with what changed since its last approval."""

    statement: Statement | QaSheet
    state: ApprovalState
    previous: StatementApproval | None
    diff: list[tuple[str, str]]  #: (kind, line) with kind in "+", "-", " ", "?"


def review_queue(*, actor) -> list[QueueEntry]:
    """Statements and Q&A sheets unapproved, expired or expiring within 30 days, for legal."""
    require_role(actor, "legal", "admin")
    statements = _signed()
    states = approval_states(statements)
    soon = desk_today() + timedelta(days=EXPIRING_SOON_DAYS)
    entries = []
    for statement in statements:
        state = states[statement.slug]
        if state.usable and state.review_by > soon:
            continue
        previous = db.session.scalar(
            select(StatementApproval)
            .where(
                StatementApproval.slug == statement.slug,
                StatementApproval.sha256 != statement.sha256,
            )
            .order_by(StatementApproval.approved_at.desc())
            .limit(1)
        )
        entries.append(QueueEntry(statement, state, previous, _diff(previous, statement)))
    return entries


def sign_off_count() -> int:
    """How many entries review_queue() lists, without building their diffs."""
    statements = _signed()
    states = approval_states(statements)
    soon = desk_today() + timedelta(days=EXPIRING_SOON_DAYS)
    return sum(
        1 for s in statements if not (states[s.slug].usable and states[s.slug].review_by > soon)
    )


def _signed() -> list[Statement | QaSheet]:
    # statements first, then Q&A sheets: legal signs both the same way
    library = get_library()
    by_slug = lambda item: item.slug  # noqa: E731
    return sorted(library.statements.values(), key=by_slug) + sorted(
        library.qa.values(), key=by_slug
    )


def _diff(previous: StatementApproval | None, statement: Statement) -> list[tuple[str, str]]:
    if previous is None:
        return []
    lines = difflib.unified_diff(
        previous.version.text.splitlines(), statement.text.splitlines(), lineterm="", n=2
    )
    return [(line[0], line[1:]) for line in list(lines)[2:] if line and line[0] in "+- @"]
