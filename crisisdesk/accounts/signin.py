"""Sign-in: password check, refusals per address, a slow-down per account, the server session.

Guessing is refused per address and per (account, address) pair. Failures on one account from
many addresses only slow that account down: refusing them would let anyone lock the owner out.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock
from ..database import begin_write
from ..errors import Invalid, Throttled
from ..extensions import db
from ..readcache import remembered
from ..timeline import append_event
from ..timeline.scopes import PEOPLE
from . import sessions
from .models import LoginFailure, User, UserRole

#: the first slow-down; each further failure doubles it
FIRST_DELAY_SECONDS = 0.25


@cache
def _dummy_hash(method: str) -> str:
    # Checked against when the username is unknown, so both paths cost the same time.
    return generate_password_hash("no such user", method=method)


def login_delay(failures: int, *, allowed: int, longest: float) -> float:
    """Seconds to hold a sign-in to an account with `failures` recent failures from all addresses.

    None below `allowed`; 0.25 s at it, doubling with each further failure, at most `longest`.
    """
    if failures < allowed:
        return 0.0
    return min(float(longest), FIRST_DELAY_SECONDS * 2 ** min(failures - allowed, 32))


def pause(seconds: float) -> None:
    """Wait before checking a password (the one place sign-in sleeps; tests replace it)."""
    time.sleep(seconds)


def sign_in(username: str, password: str, *, address: str, user_agent: str | None = None) -> User:
    """Check the credentials and open a server session, or raise Invalid / Throttled.

    The user comes back with `session_key` (for the cookie) and `session_id` set.
    """
    username = (username or "").strip().lower()[:64]
    address = (address or "unknown")[:64]
    config = current_app.config
    failures = _check_limits(username, address)
    delay = login_delay(
        failures,
        allowed=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        longest=config["LOGIN_MAX_DELAY_SECONDS"],
    )
    if delay:
        db.session.rollback()  # hold no lock while waiting: other sign-ins and every writer go on
        pause(delay)
        _check_limits(username, address)
    slowed = {"slowed_s": delay} if delay else {}
    user = db.session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(
        user.password_hash if user else _dummy_hash(config["PASSWORD_HASH_METHOD"]), password or ""
    )
    if user is None or not valid or not user.active:
        db.session.add(LoginFailure(username=username, address=address, at=clock.now()))
        append_event(
            "login_failed", actor=None, data={"user": username, "address": address, **slowed}
        )
        db.session.commit()
        raise Invalid("bad_credentials", _("Unknown username or wrong password."))
    row, secret = sessions.start_session(user, address=address, user_agent=user_agent)
    append_event(
        "signed_in",
        actor=user,
        data={
            "user": user.username,
            "session": row.id,
            "address": address,
            "device": row.device,
            **slowed,
        },
    )
    user.session_key, user.session_id = f"{user.id}:{secret}", row.id
    db.session.commit()
    return user


def _check_limits(username: str, address: str) -> int:
    """Start the write transaction; raise Throttled if this address, or this account from this
    address, failed too often lately; return the account's failures from all addresses."""
    begin_write()
    config = current_app.config
    since = clock.now() - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    same_account, same_address = LoginFailure.username == username, LoginFailure.address == address
    by_account, by_address, by_pair = db.session.execute(
        select(
            func.count().filter(same_account),
            func.count().filter(same_address),
            func.count().filter(and_(same_account, same_address)),
        ).where(or_(same_account, same_address), LoginFailure.at >= since)
    ).one()
    pair_refused = by_pair >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS"]
    if pair_refused or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        append_event(
            "login_throttled",
            actor=None,
            data={
                "user": username,
                "address": address,
                "limit": "account_address" if pair_refused else "address",
            },
        )
        db.session.commit()
        raise Throttled(
            "throttled",
            _(
                "Too many failed sign-ins. Please wait %(minutes)d minutes.",
                minutes=config["LOGIN_WINDOW_SECONDS"] // 60,
            ),
        )
    return by_account


# Every signed-in page starts here: one prebuilt query for the user and the roles
# (211 µs instead of 577 µs).
_USER_WITH_ROLES = (
    select(User).where(User.id == bindparam("user_id")).options(joinedload(User.role_rows))
)


def load_session_user(session_key: str) -> User | None:
    """Return the active user of the open, current server session this cookie names, or None.

    Session and user come from memory while the timeline stands still: every end of a session and
    every change to a user (roles, deactivation, password, preferences) appends an event, so a copy
    kept under the chain head is never stale; the session's age is checked against the clock here.
    The user joins the request's session without a query.
    """
    user_id, _sep, secret = (session_key or "").partition(":")
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10 or not secret:
        return None
    record = sessions.open_session(secret)
    if (
        record is None
        or record.user_id != int(user_id)
        or not sessions.is_current(record, clock.now())
    ):
        return None
    kept = remembered(
        ("session-user", record.user_id),
        lambda: _detached_copy(record.user_id),
        scopes=(PEOPLE,),
    )
    if kept is None or not kept.active:
        return None
    in_session = db.session.identity_map.get(identity_key(User, kept.id))
    user = in_session if in_session is not None else db.session.merge(kept, load=False)
    user.session_key, user.session_id = session_key, record.id
    return user


def _detached_copy(user_id: int) -> User | None:
    """The user and roles as a detached object no session owns.

    Safe to keep and to merge(load=False).
    """
    user = db.session.scalars(_USER_WITH_ROLES, {"user_id": user_id}).unique().one_or_none()
    if user is None:
        return None
    copy = User(
        **{column.key: getattr(user, column.key) for column in User.__mapper__.column_attrs}
    )
    rows = [UserRole(user_id=user.id, role=role) for role in user.roles]
    for row in rows:
        make_transient_to_detached(row)
    set_committed_value(copy, "role_rows", rows)
    make_transient_to_detached(copy)
    return copy
