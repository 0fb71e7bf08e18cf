"""POST /alerts: monitoring tools open incidents (token with role oncall, or an HMAC-signed body)."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from ..accounts.service import find_user
from ..accounts.tokens import user_for_token
from ..errors import Unauthenticated
from ..incidents.alerts import receive_alert
from . import PUBLIC_ENDPOINTS, bp
from .helpers import json_body, only_fields
from .serialise import incident_json

FIELDS = {"dedupe_key", "title", "summary", "severity", "playbook", "source_url", "channel"}
PUBLIC_ENDPOINTS.add("api.alerts")


def _alert_actor():
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = user_for_token(secret.strip())
        if user is None:
            raise Unauthenticated("bad_token", _("Send a valid API token or a signed body."))
        return user
    signature = request.headers.get("X-CrisisDesk-Signature", "")
    key = current_app.config.get("ALERT_SECRET")
    if not key or not signature.startswith("sha256="):
        raise Unauthenticated("unsigned", _("Send a valid API token or a signed body."))
    expected = hmac.new(key.encode(), request.get_data(cache=True), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature[len("sha256="):]):
        raise Unauthenticated("bad_signature", _("The signature does not match the body."))
    user = find_user(current_app.config["ALERT_USER"])
    if user is None or not user.active:
        raise Unauthenticated("no_alert_user", _("Signed alerts need an active account %(name)s with role oncall.",
                                                 name=current_app.config["ALERT_USER"]))
    return user


@bp.post("/alerts")
def alerts():
    """Open an incident (201) or add the source link to the open one with that dedupe_key (200)."""
    actor = _alert_actor()
    g.api_user = actor
    g.api_principal = actor  # the language of any error: the alert account's
    body = only_fields(json_body(), FIELDS)
    incident, created = receive_alert(actor=actor, **{key: body.get(key) for key in FIELDS})
    return jsonify(incident_json(incident)), 201 if created else 200
