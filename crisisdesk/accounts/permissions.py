"""The one place that answers "may this user do that?" for user roles."""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import Forbidden


def require_role(actor, *roles: str) -> None:
    """Raise Forbidden unless `actor` is an active user holding one of `roles`."""
    if actor is None or not getattr(actor, "active", False) or not actor.has_role(*roles):
        raise Forbidden(
            "missing_role", _("This needs one of these roles: %(roles)s.", roles=", ".join(roles))
        )


def require_any_role(actor) -> None:
    """Raise Forbidden unless `actor` holds at least one user role."""
    if actor is None or not getattr(actor, "active", False) or not actor.roles:
        raise Forbidden(
            "no_role", _("Your account has no role on the desk yet. Ask an administrator.")
        )
