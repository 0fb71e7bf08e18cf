"""Official accounts: the registry of the bank's own accounts, read by every desk role."""

from __future__ import annotations

from flask import jsonify

from ..impersonation import official
from . import bp
from .helpers import actor, json_body, number_cursor, only_fields, page, page_limit
from .serialise import iso


def account_json(account) -> dict:
    """An account as the API shows it, with whether its access review is overdue."""
    review = account.last_access_review
    return {
        "id": account.id,
        "platform": account.platform,
        "handle": account.handle,
        "url": account.url,
        "verified": account.verified,
        "purpose": account.purpose,
        "owner": account.owner,
        "second_factor": account.second_factor,
        "recovery_contacts": account.recovery_contacts,
        "last_access_review": review.isoformat() if review else None,
        "review_overdue": official.review_overdue(account),
        "active": account.active,
        "changed_at": iso(account.changed_at),
    }


@bp.get("/official-accounts")
def list_official_accounts():
    """Every registered account, active ones first, paged."""
    offset, limit = number_cursor() or 0, page_limit()
    accounts = official.list_accounts(actor=actor(), offset=offset, limit=limit + 1)
    return jsonify(page(accounts, account_json, lambda _account: [offset + limit]))


@bp.post("/official-accounts")
def post_official_account():
    """Register an account (management, administrators)."""
    official.require_editor(actor())  # who asks comes before what they sent
    body = only_fields(json_body(), set(official.FIELDS), nullable={"last_access_review"})
    return jsonify(account_json(official.add_account(actor=actor(), **body))), 201


@bp.get("/official-accounts/<int:account_id>")
def get_official_account(account_id: int):
    """One account."""
    return jsonify(account_json(official.get_account(account_id, actor=actor())))


@bp.patch("/official-accounts/<int:account_id>")
def patch_official_account(account_id: int):
    """Change the given fields of an account (management, administrators)."""
    official.require_editor(actor())
    body = only_fields(json_body(), set(official.FIELDS), nullable={"last_access_review"})
    return jsonify(account_json(official.change_account(account_id, actor=actor(), **body)))
