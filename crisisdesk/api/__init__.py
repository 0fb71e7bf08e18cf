"""JSON API v1: thin adapters over the same services the HTML desk uses."""

from flask import Blueprint, g, request
from flask_babel import gettext as _

from ..accounts.tokens import principal_for_token
from ..errors import Invalid, Unauthenticated

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: endpoints that answer without a token
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    principal = principal_for_token(secret.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise Unauthenticated(
            "bad_token", _("Send a valid API token: Authorization: Bearer <token>.")
        )
    g.api_principal = principal


@bp.before_request
def _refuse_unknown_parameters():
    """422 for a query parameter the endpoint does not
    document: a typo must not widen a filter silently.
    """
    if request.url_rule is None or not request.args:
        return
    unknown = sorted(set(request.args) - query_parameters(request.url_rule.rule, request.method))
    if unknown:
        raise Invalid(
            "unknown_parameter",
            _("Unknown parameter: %(name)s.", name=unknown[0][:50]),
            field=unknown[0][:50],
        )


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="crisisdesk"'
    return response


from . import (  # noqa: E402,F401  (routes register on bp)
    alerts,
    channels,
    drills,
    duties,
    impersonations,
    incidents,
    library,
    me,
    official_accounts,
    openapi,
    people,
    public_notice,
    qa,
    regulatory,
    responses,
    review,
    search,
)
from .openapi import query_parameters  # noqa: E402
