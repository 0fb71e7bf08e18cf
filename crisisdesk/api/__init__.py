"""JSON API v1: thin adapters over the same services the HTML desk uses."""
from flask import Blueprint, g, request
from flask_babel import gettext as _

from ..accounts.tokens import user_for_token
from ..errors import Unauthenticated

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: endpoints that answer without a token
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise Unauthenticated("bad_token", _("Send a valid API token: Authorization: Bearer <token>."))
    g.api_user = user


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="crisisdesk"'
    return response


from . import alerts, incidents, library, me, openapi, responses, review  # noqa: E402,F401  (routes register on bp)
