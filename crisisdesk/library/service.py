"""Library operations: record versions, sign statements off, know their approval state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..accounts.permissions import require_role
from ..database import begin_write
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from . import free, versions
from .content import ContentFile, Library, Playbook, QaSheet, Statement
from .loader import playbook_from_text
from .models import ContentVersion, StatementApproval
from .store import get_library

DEFAULT_REVIEW_DAYS = 365
MAX_REVIEW_DAYS = 3 * 365
EXPIRING_SOON_DAYS = 30


def desk_today() -> date:
    """Today's date in the desk's time zone (approvals run to the end of their review day)."""
    return clock.now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def sync_versions(library: Library | None = None) -> list[ContentVersion]:
    """Record every content version not yet in the database; return the new ones."""
    library = library or get_library()
    begin_write()
    new = versions.record_versions(library.versioned())
    db.session.commit()
    return new


def version_of(item: ContentFile) -> ContentVersion:
    """The database row of this exact file version, recorded in the caller's transaction if new.

    Call it after begin_write(): a version recorded here commits or rolls back with the caller.
    """
    return versions.version_row(item)


def playbook_of_version(version: ContentVersion) -> Playbook | None:
    """The playbook as stored in `version` (the current file if unchanged, else its text)."""
    current = get_library().playbooks.get(version.slug)
    if current is not None and current.sha256 == version.sha256:
        return current
    return playbook_from_text(version.text, version.path, version.sha256, get_library().policy)


def get_playbook(slug: str) -> Playbook:
    """The current playbook with this slug, or NotFound."""
    playbook = get_library().playbooks.get(slug)
    if playbook is None:
        raise NotFound(
            "unknown_playbook", _("There is no playbook %(slug)s.", slug=slug), field="playbook"
        )
    return playbook


def get_statement(slug: str) -> Statement:
    """The current statement with this slug, or NotFound."""
    statement = get_library().statements.get(slug)
    if statement is None:
        raise NotFound(
            "unknown_statement", _("There is no statement %(slug)s.", slug=slug), field="statement"
        )
    return statement


def get_qa(slug: str) -> QaSheet:
    """The current Q&A sheet with this slug, or NotFound."""
    sheet = get_library().qa.get(slug)
    if sheet is None:
        raise NotFound("unknown_qa", _("There is no Q&A sheet %(slug)s.", slug=slug), field="qa")
    return sheet


def qa_for_playbook(slug: str) -> list[QaSheet]:
    """The Q&A sheets that serve a playbook, by title."""
    sheets = [s for s in get_library().qa.values() if slug in s.playbooks]
    return sorted(sheets, key=lambda s: s.title.casefold())


def search_qa(q: str, language: str) -> list[QaSheet]:
    """Q&A sheets whose title or questions hold `q`, in `language` if given, by title."""
    needle = q.casefold().strip()
    sheets = [
        s
        for s in get_library().qa.values()
        if (not language or s.language == language)
        and (not needle or needle in " ".join([s.title, *(i.question for i in s.items)]).casefold())
    ]
    return sorted(sheets, key=lambda s: s.title.casefold())


@dataclass
class ApprovalState:
    """Whether a statement's current version may be used without further review."""

    status: str  #: approved | unapproved | expired
    approved_by: str | None = None
    approved_by_name: str | None = None
    approved_at: datetime | None = None
    review_by: date | None = None
    #: text placeholders legal let through: {name: {"pattern": str | None, "values": [str]}}
    free_placeholders: dict = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.status == "approved"

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat().replace("+00:00", "Z")
            if self.approved_at
            else None,
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "free_placeholders": sorted(self.free_placeholders),
            "free_placeholder_rules": self.free_placeholders,
        }


def approval_states(statements: list[Statement | QaSheet]) -> dict[str, ApprovalState]:
    """The approval state of each statement's (or Q&A sheet's) current version, in one query."""
    hashes = {statement.sha256 for statement in statements}
    latest: dict[str, StatementApproval] = {}
    if hashes:
        rows = db.session.scalars(
            select(StatementApproval)
            .where(StatementApproval.sha256.in_(hashes))
            .order_by(StatementApproval.approved_at, StatementApproval.id)
        )
        for approval in rows:
            latest[(approval.slug, approval.sha256)] = approval
    today = desk_today()
    states = {}
    for statement in statements:
        approval = latest.get((statement.slug, statement.sha256))
        if approval is None:
            states[statement.slug] = ApprovalState("unapproved")
            continue
        status = "approved" if approval.review_by >= today else "expired"
        states[statement.slug] = ApprovalState(
            status,
            approval.approved_by.username,
            approval.approved_by.display_name,
            approval.approved_at,
            approval.review_by,
            free.load_rules(approval.free_placeholders),
        )
    return states


def approval_state(statement: Statement | QaSheet) -> ApprovalState:
    """The approval state of one statement's current version."""
    return approval_states([statement])[statement.slug]


def approve_statement(
    slug: str, *, actor, review_by: date | None = None, free_placeholders=None
) -> StatementApproval:
    """Sign off the current version of a statement until `review_by` (default: a year).

    `free_placeholders` ([name | {name, pattern?, values?}, …]) names the text placeholders whose
    values may go out without another review; a value in any other text placeholder needs legal.
    """
    begin_write()
    require_role(actor, "legal")
    return _sign_off(get_statement(slug), actor, review_by, free_placeholders)


def approve_qa(slug: str, *, actor, review_by: date | None = None) -> StatementApproval:
    """Sign off the current version of a Q&A sheet until `review_by` (default: a year)."""
    begin_write()
    require_role(actor, "legal")
    return _sign_off(get_qa(slug), actor, review_by, None)


def _sign_off(statement, actor, review_by, free_placeholders) -> StatementApproval:
    # a Q&A sheet is signed off like a statement: same table, same event, its own slug
    slug = statement.slug
    today = desk_today()
    review_by = review_by or today + timedelta(days=DEFAULT_REVIEW_DAYS)
    if not today < review_by <= today + timedelta(days=MAX_REVIEW_DAYS):
        raise Invalid(
            "bad_review_by",
            _("The review date must be after today and within three years."),
            field="review_by",
        )
    rules = free.parse_rules(free_placeholders, statement.placeholders)
    version = version_of(statement)
    db.session.execute(
        select(ContentVersion.id).where(ContentVersion.id == version.id).with_for_update()
    )
    if approval_state(statement).usable:
        raise Conflict("already_approved", _("This version is already approved."))
    approval = StatementApproval(
        version_id=version.id,
        slug=slug,
        sha256=statement.sha256,
        approved_by_id=actor.id,
        review_by=review_by,
        free_placeholders=free.dump_rules(rules),
    )
    db.session.add(approval)
    append_event(
        "statement_approved",
        actor=actor,
        data={
            "statement": slug,
            "sha256": statement.sha256,
            "review_by": review_by.isoformat(),
            "free_placeholders": rules,
        },
    )
    db.session.commit()
    return approval


def record_expired_approvals() -> int:
    """Write one timeline event per approval that passed its review date; return how many."""
    begin_write()
    expired = db.session.scalars(
        select(StatementApproval).where(
            StatementApproval.review_by < desk_today(),
            StatementApproval.expiry_recorded_at.is_(None),
        )
    ).all()
    for approval in expired:
        approval.expiry_recorded_at = clock.now()
        append_event(
            "statement_approval_expired",
            actor=None,
            data={
                "statement": approval.slug,
                "sha256": approval.sha256,
                "review_by": approval.review_by.isoformat(),
            },
        )
    db.session.commit()
    return len(expired)


def search(
    q: str = "", language: str = "", channel: str = ""
) -> tuple[list[Playbook], list[Statement]]:
    """Playbooks and statements matching words in title, triggers or text, by language, channel."""
    library = get_library()
    words = [word for word in (q or "").casefold().split() if word][:10]
    playbooks = [
        p
        for p in library.playbooks.values()
        if (not language or p.language == language) and all(w in p.search_text for w in words)
    ]
    statements = [
        s
        for s in library.statements.values()
        if (not language or s.language == language)
        and (not channel or channel in s.channels)
        and all(w in s.search_text for w in words)
    ]
    return sorted(playbooks, key=lambda p: p.title.casefold()), sorted(
        statements, key=lambda s: s.title.casefold()
    )
