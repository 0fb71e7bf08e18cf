"""API tokens: made once, shown once, stored as a SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..readcache import remembered
from ..timeline import append_event
from ..timeline.scopes import PEOPLE
from . import usage
from .models import ApiToken, User
from .permissions import require_role

TOKEN_PREFIX = "cd_"
#: the longest lifetime a token can be made with (ten years); "no expiry" is chosen explicitly
MAX_DAYS = 3650


def hash_token(token: str) -> str:
    """Hash a token; tokens carry 256 random bits, so a plain SHA-256 is enough."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    user: User, name: str, *, actor=None, days: int | None | Literal["default"] = "default"
) -> tuple[ApiToken, str]:
    """Make a token for `user` valid for `days` (TOKEN_DEFAULT_DAYS by default, None: no expiry);
    return the row and the only copy of the secret."""
    begin_write()
    if actor is not None and actor.id != user.id and not actor.has_role("admin"):
        raise NotFound("unknown_user", _("There is no such user."))
    name = (name or "").strip() or _("API token")
    if len(name) > 80:
        raise Invalid("long_name", _("Token names can have at most 80 characters."), field="name")
    if days == "default":
        days = current_app.config["TOKEN_DEFAULT_DAYS"]
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS
    ):
        raise Invalid(
            "bad_expiry",
            _("A token lasts 1 to %(max)d days, or does not expire.", max=MAX_DAYS),
            field="expires",
        )
    now = clock.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=None if days is None else now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    append_event(
        "token_created",
        actor=actor or user,
        data={
            "user": user.username,
            "token": token.id,
            "prefix": token.prefix,
            "name": name,
            "expires_at": None if token.expires_at is None else token.expires_at.isoformat(),
        },
    )
    db.session.commit()
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def tokens_of(user_id: int, *, actor) -> list[ApiToken]:
    """Every token of a user, newest first, for administrators."""
    require_role(actor, "admin")
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(token_id: int, *, actor: User, user_id: int | None = None) -> ApiToken:
    """Revoke one of the actor's tokens (admins may revoke anyone's, of `user_id` if given)."""
    begin_write()
    token = get_by_id(ApiToken, token_id)
    if (
        token is None
        or (token.user_id != actor.id and not actor.has_role("admin"))
        or (user_id is not None and token.user_id != user_id)
    ):
        raise NotFound("unknown_token", _("There is no such token."))
    if token.revoked_at is not None:
        raise Conflict("already_revoked", _("This token was already revoked."))
    token.revoked_at = clock.now()
    append_event(
        "token_revoked",
        actor=actor,
        data={"user": token.user.username, "token": token.id, "prefix": token.prefix},
    )
    db.session.commit()
    return token


def revoke_tokens_of(user_id: int) -> list[int]:
    """Revoke every live token of a user in the caller's transaction; return their ids.

    The caller's event names them.
    """
    revoked = list(
        db.session.scalars(
            select(ApiToken.id)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )
    if revoked:
        db.session.execute(
            update(ApiToken).where(ApiToken.id.in_(revoked)).values(revoked_at=clock.now()),
            execution_options={"synchronize_session": False},
        )
    return revoked


def note_used(token_id: int, *, address: str) -> None:
    """Record that a token was used just now, from `address` (at most one write a minute)."""
    usage.note_use(
        ApiToken.__table__,
        token_id,
        at_column="last_used_at",
        address_column="last_used_address",
        address=address,
        now=clock.now(),
    )


def is_expired(expires_at: datetime | None, now: datetime) -> bool:
    """Tell whether a token with this expiry has run out at `now`."""
    return expires_at is not None and expires_at <= now


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for.

    A plain value that can be remembered from one request to the next.
    """

    id: int
    username: str
    roles: tuple[str, ...]
    language: str
    timezone: str
    active: bool = True
    token_id: int | None = None
    expires_at: datetime | None = None

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of `roles`."""
        return any(role in roles for role in self.roles)


def principal_for_token(secret: str) -> Principal | None:
    """The active user a valid, unexpired token belongs to, remembered until the timeline moves on.

    Revoking a token, deactivating a user and changing roles all append an event, so a
    remembered answer can never outlive any of them. Expiry depends on the clock, so it is
    checked here at each use, on the remembered value.
    """
    if not secret or len(secret) > 200:
        return None

    def look_up() -> Principal | None:
        found = _token_and_user(secret, None)
        if found is None:
            return None
        token, user = found
        return Principal(
            user.id,
            user.username,
            tuple(user.roles),
            user.language,
            user.timezone,
            token_id=token.id,
            expires_at=token.expires_at,
        )

    principal = remembered(("token", hash_token(secret)), look_up, scopes=(PEOPLE,))
    if principal is None or is_expired(principal.expires_at, clock.now()):
        return None
    return principal


def user_for_token(secret: str) -> User | None:
    """Return the active user a valid, unrevoked, unexpired token belongs to, or None.

    The user returned has its `token_id` set.
    """
    if not secret or len(secret) > 200:
        return None
    found = _token_and_user(secret, clock.now())
    if found is None:
        return None
    token, user = found
    user.token_id = token.id
    return user


def _token_and_user(secret: str, now: datetime | None) -> tuple[ApiToken, User] | None:
    # one query for token, user and roles: every API call passes here;
    # `now` None leaves expiry to the caller
    query = (
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .options(joinedload(User.role_rows))
        .where(
            ApiToken.token_hash == hash_token(secret),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
    if now is not None:
        query = query.where(or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
    row = db.session.execute(query).unique().one_or_none()
    return None if row is None else (row[0], row[1])
