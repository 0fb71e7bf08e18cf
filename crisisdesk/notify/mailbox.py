"""The development mailbox: mail the desk kept instead of sending it (admins, capture on)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.permissions import require_role
from ..errors import NotFound
from ..extensions import db
from ..mail import CapturedMail, capturing

PAGE_SIZE = 50
ID_MAX = 2**31 - 1  #: a larger `before` from the address bar means "from the newest"; SQL ints end


@dataclass
class MailboxPage:
    """One page of kept mail, newest first."""

    mails: list[CapturedMail]
    older: int | None  #: pass as `before` for the next page; None on the last page


def can_read(actor) -> bool:
    """Whether `actor` may open the development mailbox (an admin, while mail is kept)."""
    return (
        capturing()
        and actor is not None
        and getattr(actor, "active", False)
        and actor.has_role("admin")
    )


def kept_mail(*, actor, before: int | None = None) -> MailboxPage:
    """Kept mail, newest first, a page at a time (`before`: the id the previous page ended at)."""
    require_role(actor, "admin")
    if not capturing():
        raise NotFound(
            "mailbox_off", _("Mail is sent to the mail server here; no mail is kept in the desk.")
        )
    query = select(CapturedMail).order_by(CapturedMail.id.desc()).limit(PAGE_SIZE + 1)
    if before is not None:
        query = query.where(CapturedMail.id < min(before, ID_MAX))
    rows = list(db.session.scalars(query))
    older = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return MailboxPage(rows[:PAGE_SIZE], older)
