"""Account tables: users, their roles, server sessions, API tokens and failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..database import UTCDateTime
from ..extensions import db

#: compliance (the regulatory clocks), infosec, dpo and hr (information security, the
#: data-protection officer, human resources): escalation targets only playbooks that need them name
USER_ROLES = ("oncall", "legal", "management", "compliance", "infosec", "dpo", "hr", "admin")


class User(UserMixin, db.Model):
    """A person who signs in to the desk."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(2), default="de")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())

    # Loaded when asked for, not with every user: incidents, steps and assignments join their users
    # for names, and eager roles cost a query per joined user (63% of loading an incident). The
    # signed-in user and the user lists load them with the user.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", lazy="select", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def roles(self) -> list[str]:
        """The user's roles, in a stable order."""
        return [row.role for row in self.role_rows]

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of `roles`."""
        return any(row.role in roles for row in self.role_rows)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    #: set on the copy a request works with: "<user id>:<secret>" of the server session it came with
    #: (what Flask-Login keeps in the cookie), that session's id, and the API token's id
    session_key = None
    session_id = None
    token_id = None

    def get_id(self) -> str:
        # Without a server session the id names none, and no request is ever signed in by it.
        return self.session_key or f"{self.id}:"


class UserRole(db.Model):
    """One permission a user holds."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters, so a person can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: None: never expires (only when made so on purpose)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: written at most once a minute per token, outside the request's transaction
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in browser: the cookie holds its secret, the server only the SHA-256 of it."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: written at most once a minute per session, outside the request's transaction
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    #: where the session was last seen from (at first: where it signed in)
    address: Mapped[str] = mapped_column(String(64), default="")
    #: browser and system from the User-Agent, e.g. "Firefox on Android"
    device: Mapped[str] = mapped_column(String(80), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: signed_out, signed_out_all, ended_by_user, ended_by_admin, password_changed, deactivated
    end_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """A failed sign-in, counted per account and per address to throttle guessing."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
