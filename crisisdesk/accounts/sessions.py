"""Server sessions: one row per signed-in browser, so signing out ends a session for good.

The cookie carries "<user id>:<secret>"; the server keeps only the SHA-256 of the secret. Every
end of a session appends a timeline event, so the look-up is remembered under the chain head;
the session's age is checked at each use, never remembered.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, NotFound
from ..extensions import db
from ..readcache import remembered
from ..timeline import append_event
from ..timeline.scopes import PEOPLE
from . import usage
from .devices import describe_device
from .models import User, UserSession

#: at most this many sessions are listed (a script signing in again and again makes many)
LIST_LIMIT = 100


def hash_secret(secret: str) -> str:
    """Hash a session secret; it carries 256 random bits, so a plain SHA-256 is enough."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class OpenSession:
    """An unended session as a plain value that can be remembered from one request to the next."""

    id: int
    user_id: int
    created_at: datetime


def start_session(user: User, *, address: str, user_agent: str | None) -> tuple[UserSession, str]:
    """Open a session for `user` in the caller's write transaction.

    Return it and the only copy of its secret.
    """
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    row = UserSession(
        user_id=user.id,
        secret_hash=hash_secret(secret),
        created_at=now,
        last_seen_at=now,
        address=(address or "unknown")[:64],
        device=describe_device(user_agent),
    )
    db.session.add(row)
    db.session.flush()
    usage.mark_written(UserSession.__table__, row.id, now)
    return row, secret


def open_session(secret: str) -> OpenSession | None:
    """The unended session this secret belongs to, remembered until the timeline moves on."""
    if not secret or len(secret) > 100:
        return None
    digest = hash_secret(secret)

    def look_up() -> OpenSession | None:
        row = db.session.execute(
            select(UserSession.id, UserSession.user_id, UserSession.created_at).where(
                UserSession.secret_hash == digest, UserSession.ended_at.is_(None)
            )
        ).one_or_none()
        return None if row is None else OpenSession(*row)

    return remembered(("user-session", digest), look_up, scopes=(PEOPLE,))


def is_current(record: OpenSession | UserSession, now: datetime) -> bool:
    """Tell whether a session is younger than PERMANENT_SESSION_LIFETIME."""
    return now < record.created_at + current_app.permanent_session_lifetime


def note_seen(session_id: int, *, address: str) -> None:
    """Record that a session was used just now, from `address` (at most one write a minute)."""
    usage.note_use(
        UserSession.__table__,
        session_id,
        at_column="last_seen_at",
        address_column="address",
        address=address,
        now=clock.now(),
    )


def list_sessions(user_id: int, *, actor) -> list[UserSession]:
    """The user's sessions still open, last seen first: for the user themself or an admin."""
    _owner_or_admin(actor, user_id)
    since = clock.now() - current_app.permanent_session_lifetime
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.ended_at.is_(None),
                UserSession.created_at > since,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
            .limit(LIST_LIMIT)
        )
    )


def sign_out(session_id: int | None, *, actor) -> None:
    """End the session the actor is signed in with (nothing to do if it has ended meanwhile)."""
    begin_write()
    row = get_by_id(UserSession, session_id)
    if row is None or row.user_id != actor.id or row.ended_at is not None:
        db.session.rollback()
        return
    _end(row, "signed_out")
    append_event("signed_out", actor=actor, data={"user": actor.username, "session": row.id})
    db.session.commit()


def end_session(session_id: int, *, actor, user_id: int | None = None) -> UserSession:
    """End one session: one of the actor's own, or, for an admin, anyone's.

    When `user_id` is given, the session must be one of that user's.
    """
    begin_write()
    row = get_by_id(UserSession, session_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound("unknown_session", _("There is no such session."))
    _owner_or_admin(actor, row.user_id)
    if row.ended_at is not None:
        raise Conflict("session_ended", _("This session has already ended."))
    reason = "ended_by_user" if row.user_id == actor.id else "ended_by_admin"
    _end(row, reason)
    append_event(
        "session_ended",
        actor=actor,
        data={"user": row.user.username, "session": row.id, "reason": reason},
    )
    db.session.commit()
    return row


def end_all_sessions(user_id: int, *, actor) -> list[int]:
    """Sign a user out everywhere, this browser included: the user themself, or an admin."""
    begin_write()
    user = _owner_or_admin(actor, user_id)
    reason = "signed_out_all" if user.id == actor.id else "ended_by_admin"
    ended = end_sessions_of(user.id, reason=reason)
    if ended:
        append_event(
            "sessions_ended",
            actor=actor,
            data={"user": user.username, "sessions": ended, "reason": reason},
        )
    db.session.commit()
    return ended


def end_sessions_of(user_id: int, *, reason: str, keep: int | None = None) -> list[int]:
    """End the user's open sessions but `keep`, in the caller's transaction; return their ids.

    The caller's event names them.
    """
    now = clock.now()
    query = select(UserSession.id).where(
        UserSession.user_id == user_id,
        UserSession.ended_at.is_(None),
        UserSession.created_at > now - current_app.permanent_session_lifetime,
    )
    if keep is not None:
        query = query.where(UserSession.id != keep)
    ended = list(db.session.scalars(query.order_by(UserSession.id)))
    if ended:
        db.session.execute(
            update(UserSession)
            .where(UserSession.id.in_(ended))
            .values(ended_at=now, end_reason=reason),
            execution_options={"synchronize_session": False},
        )
    return ended


def _end(row: UserSession, reason: str) -> None:
    row.ended_at, row.end_reason = clock.now(), reason


def _owner_or_admin(actor, user_id: int) -> User:
    """The user whose sessions the actor may see and end.

    Their own, or anyone's for an active admin.
    """
    user = get_by_id(User, user_id)
    if (
        user is None
        or actor is None
        or not getattr(actor, "active", False)
        or (user.id != actor.id and not actor.has_role("admin"))
    ):
        raise NotFound("unknown_user", _("There is no such user."))
    return user
