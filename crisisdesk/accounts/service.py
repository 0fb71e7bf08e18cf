"""Create and change accounts. Every change is one timeline event, committed here."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash

from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from .models import USER_ROLES, User, UserRole
from .passwords import check_password, hash_password
from .permissions import require_role
from .sessions import end_sessions_of
from .tokens import revoke_tokens_of

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
LANGUAGES = ("de", "en")


def get_user(user_id: int) -> User:
    """Return the user or raise NotFound."""
    user = get_by_id(User, user_id)
    if user is None:
        raise NotFound("unknown_user", _("There is no such user."))
    return user


def find_user(username: str) -> User | None:
    """Return the user with this username, or None."""
    return db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def list_users(*, actor) -> list[User]:
    """Return every user, for administrators."""
    require_role(actor, "admin")
    return list(
        db.session.scalars(
            select(User).options(selectinload(User.role_rows)).order_by(User.username)
        )
    )


def all_users() -> list[User]:
    """Return every user (for the command line, which acts as the operator)."""
    return list(
        db.session.scalars(
            select(User).options(selectinload(User.role_rows)).order_by(User.username)
        )
    )


def create_user(
    username: str,
    *,
    password: str,
    roles: list[str],
    actor=None,
    display_name: str | None = None,
    email: str = "",
    language: str = "de",
    timezone: str | None = None,
) -> User:
    """Create an account; `actor=None` means the command line (the operator)."""
    begin_write()
    if actor is not None:
        require_role(actor, "admin")
    username = _valid_username(username)
    roles = _valid_roles(roles)
    check_password(password, user_inputs=(username, display_name or "", email or ""))
    language = _valid_language(language)
    timezone = _valid_timezone(timezone or current_app.config["TIMEZONE"])
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise Conflict(
            "username_taken",
            _("The username %(name)s is already taken.", name=username),
            field="username",
        )
    user = User(
        username=username,
        display_name=_valid_display_name(display_name or username),
        email=_valid_email(email),
        password_hash=hash_password(password),
        language=language,
        timezone=timezone,
        active=True,
    )
    user.role_rows = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
    append_event("user_created", actor=actor, data={"user": username, "roles": roles})
    db.session.commit()
    return user


def set_roles(user_id: int, roles: list[str], *, actor=None) -> User:
    """Replace a user's roles."""
    begin_write()
    if actor is not None:
        require_role(actor, "admin")
    user = get_user(user_id)
    roles = _valid_roles(roles, allow_empty=True)
    if actor is not None and user.id == actor.id and "admin" not in roles:
        raise Conflict(
            "own_admin", _("You cannot take the admin role from yourself."), field="roles"
        )
    before = user.roles
    user.role_rows = [UserRole(role=role) for role in roles]
    append_event(
        "roles_changed", actor=actor, data={"user": user.username, "before": before, "after": roles}
    )
    db.session.commit()
    return user


def set_active(user_id: int, active: bool, *, actor=None) -> User:
    """Deactivate a user, ending every session and
    revoking every token for good, or reactivate them.
    """
    begin_write()
    if actor is not None:
        require_role(actor, "admin")
    user = get_user(user_id)
    if actor is not None and user.id == actor.id and not active:
        raise Conflict("own_account", _("You cannot deactivate your own account."))
    if user.active == active:
        return user
    user.active = active
    data = {"user": user.username}
    if not active:  # revoked tokens stay revoked: reactivation brings none of them back
        data.update(
            sessions_ended=end_sessions_of(user.id, reason="deactivated"),
            tokens_revoked=revoke_tokens_of(user.id),
        )
    append_event("user_deactivated" if not active else "user_reactivated", actor=actor, data=data)
    db.session.commit()
    return user


def update_preferences(
    *,
    actor,
    language: str | None = None,
    timezone: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    """Change the actor's own language, time zone, display name or email."""
    begin_write()
    user = get_user(actor.id)
    changes = {}
    if language is not None and language != user.language:
        user.language = changes["language"] = _valid_language(language)
    if timezone is not None and timezone != user.timezone:
        user.timezone = changes["timezone"] = _valid_timezone(timezone)
    if display_name is not None and _valid_display_name(display_name) != user.display_name:
        user.display_name = changes["display_name"] = _valid_display_name(display_name)
    if email is not None and _valid_email(email) != user.email:
        user.email = changes["email"] = _valid_email(email)
    if changes:
        append_event("profile_updated", actor=user, data={"user": user.username, **changes})
    db.session.commit()
    return user


def change_password(*, actor, current: str, new: str, keep_session: int | None = None) -> User:
    """Change the actor's password after checking the
    current one; every session but `keep_session` ends.
    """
    begin_write()
    user = get_user(actor.id)
    if not check_password_hash(user.password_hash, current or ""):
        raise Invalid(
            "wrong_password", _("The current password is not correct."), field="current_password"
        )
    check_password(
        new, field="new_password", user_inputs=(user.username, user.display_name, user.email)
    )
    user.password_hash = hash_password(new)
    ended = end_sessions_of(user.id, reason="password_changed", keep=keep_session)
    append_event(
        "password_changed", actor=user, data={"user": user.username, "sessions_ended": ended}
    )
    db.session.commit()
    return user


def _valid_display_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(
            "bad_display_name", _("Display names have 1-120 characters."), field="display_name"
        )
    return name


def _valid_email(email: str) -> str:
    email = (email or "").strip()
    if email and (len(email) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+", email)):
        raise Invalid("bad_email", _("This is not an email address."), field="email")
    return email


def _valid_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise Invalid(
            "bad_username",
            _("Usernames are 2-64 characters: a-z, 0-9, dot, dash, underscore."),
            field="username",
        )
    return username


def _valid_roles(roles, allow_empty: bool = False) -> list[str]:
    roles = sorted(set(roles or []))
    unknown = [role for role in roles if role not in USER_ROLES]
    if unknown:
        raise Invalid(
            "bad_role", _("Unknown role: %(roles)s.", roles=", ".join(unknown)), field="roles"
        )
    if not roles and not allow_empty:
        raise Invalid("no_role", _("Choose at least one role."), field="roles")
    return roles


def _valid_language(language: str) -> str:
    if language not in LANGUAGES:
        raise Invalid("bad_language", _("Choose German or English."), field="language")
    return language


def _valid_timezone(timezone: str) -> str:
    if timezone not in available_timezones():
        raise Invalid(
            "bad_timezone", _("Unknown time zone: %(tz)s.", tz=timezone), field="timezone"
        )
    return timezone
