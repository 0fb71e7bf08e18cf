"""API tokens: made once, shown once, stored as a SHA-256, revocable."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..readcache import remembered
from ..timeline import append_event
from .models import ApiToken, User

TOKEN_PREFIX = "cd_"


def hash_token(token: str) -> str:
    """Hash a token; tokens carry 256 random bits, so a plain SHA-256 is enough."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, *, actor=None) -> tuple[ApiToken, str]:
    """Make a token for `user`; return the row and the only copy of the secret."""
    begin_write()
    if actor is not None and actor.id != user.id and not actor.has_role("admin"):
        raise NotFound("unknown_user", _("There is no such user."))
    name = (name or "").strip() or _("API token")
    if len(name) > 80:
        raise Invalid("long_name", _("Token names can have at most 80 characters."), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    append_event("token_created", actor=actor or user, data={"user": user.username, "token": token.id,
                                                             "prefix": token.prefix, "name": name})
    db.session.commit()
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token(token_id: int, *, actor: User) -> ApiToken:
    """Revoke one of the actor's tokens (admins may revoke anyone's)."""
    begin_write()
    token = get_by_id(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.has_role("admin")):
        raise NotFound("unknown_token", _("There is no such token."))
    if token.revoked_at is not None:
        raise Conflict("already_revoked", _("This token was already revoked."))
    token.revoked_at = clock.now()
    append_event("token_revoked", actor=actor, data={"token": token.id, "prefix": token.prefix})
    db.session.commit()
    return token


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for, as a plain value that can be remembered from one request to the next."""

    id: int
    username: str
    roles: tuple[str, ...]
    language: str
    timezone: str
    active: bool = True

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of `roles`."""
        return any(role in roles for role in self.roles)


def principal_for_token(secret: str) -> Principal | None:
    """The active user a valid token belongs to, remembered until the timeline moves on.

    Revoking a token, deactivating a user and changing roles all append an event, so a
    remembered answer can never outlive any of them.
    """
    if not secret or len(secret) > 200:
        return None

    def look_up() -> Principal | None:
        user = user_for_token(secret)
        return None if user is None else Principal(user.id, user.username, tuple(user.roles), user.language,
                                                   user.timezone)

    return remembered(("token", hash_token(secret)), look_up)


def user_for_token(secret: str) -> User | None:
    """Return the active user a valid, unrevoked token belongs to, or None."""
    if not secret or len(secret) > 200:
        return None
    # one query for token, user and roles: every API call passes here
    return db.session.scalars(select(User).join(ApiToken, ApiToken.user_id == User.id).options(
        joinedload(User.role_rows)).where(
        ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None), User.active.is_(True))
    ).unique().one_or_none()
