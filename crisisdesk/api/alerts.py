"""POST /alerts: monitoring tools open incidents (token
with role oncall, or an HMAC-signed, timestamped body).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from .. import clock
from ..accounts.service import find_user
from ..accounts.tokens import user_for_token
from ..errors import Unauthenticated
from ..incidents.alerts import receive_alert
from . import PUBLIC_ENDPOINTS, bp
from .helpers import json_body, only_fields
from .serialise import incident_json

FIELDS = {"dedupe_key", "title", "summary", "severity", "playbook", "source_url", "channel"}
SIGNATURE, TIMESTAMP, DELIVERY = (
    "X-CrisisDesk-Signature",
    "X-CrisisDesk-Timestamp",
    "X-CrisisDesk-Delivery",
)
_UNIX_SECONDS = re.compile(r"[0-9]{1,11}")  #: up to the year 5138: no overflow
PUBLIC_ENDPOINTS.add("api.alerts")


def _alert_actor():
    """Return (user, receipts): the token's user, or the
    alert account and what makes a replay detectable.
    """
    signed = SIGNATURE in request.headers or TIMESTAMP in request.headers
    if signed and "Authorization" in request.headers:
        # one request, one identity: a proxy's token must not lend itself to a signed body or back
        raise Unauthenticated(
            "mixed_authentication",
            _("Send either an API token or a signed body, not both."),
            code="mixed_authentication",
        )
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = user_for_token(secret.strip())
        if user is None:
            raise Unauthenticated("bad_token", _("Send a valid API token or a signed body."))
        return user, None
    return _signed_actor()


def _signed_actor():
    key = current_app.config.get("ALERT_SECRET")
    signature = request.headers.get(SIGNATURE, "")
    if not key or not signature.startswith("sha256="):
        raise Unauthenticated("unsigned", _("Send a valid API token or a signed body."))
    stamp = request.headers.get(TIMESTAMP, "").strip()
    max_age = timedelta(seconds=int(current_app.config["ALERT_MAX_AGE_SECONDS"]))
    now = clock.now()
    sent_at = datetime.fromtimestamp(int(stamp), UTC) if _UNIX_SECONDS.fullmatch(stamp) else None
    if sent_at is None or abs(now - sent_at) > max_age:
        raise Unauthenticated(
            "stale_signature",
            _(
                "Send %(header)s: the current time in Unix seconds "
                "(at most %(n)d seconds off), signed with the body.",
                header=TIMESTAMP,
                n=int(max_age.total_seconds()),
            ),
            code="stale_signature",
        )
    signed_text = stamp.encode() + b"." + request.get_data(cache=True)
    expected = hmac.new(key.encode(), signed_text, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature[len("sha256=") :]):
        raise Unauthenticated(
            "bad_signature", _("The signature does not match the timestamp and body.")
        )
    user = find_user(current_app.config["ALERT_USER"])
    if user is None or not user.active:
        raise Unauthenticated(
            "no_alert_user",
            _(
                "Signed alerts need an active account %(name)s with role oncall.",
                name=current_app.config["ALERT_USER"],
            ),
        )
    # the signature can come back until its timestamp
    # is too old; a delivery id for the window from now
    receipts = {f"sig:{expected}": sent_at + max_age}
    delivery = request.headers.get(DELIVERY)
    if delivery is not None:
        receipts[f"delivery:{hashlib.sha256(delivery.encode()).hexdigest()}"] = now + max_age
    return user, receipts


@bp.post("/alerts")
def alerts():
    """Open an incident (201) or add to the one with that dedupe_key (200); `alert` says which."""
    actor, receipts = _alert_actor()
    g.api_user = actor
    g.api_principal = actor  # the language of any error: the alert account's
    body = only_fields(json_body(), FIELDS)
    outcome = receive_alert(
        actor=actor, receipts=receipts, **{key: body.get(key) for key in FIELDS}
    )
    answer = {
        **incident_json(outcome.incident),
        "alert": {"action": outcome.action, "previous_incident": outcome.previous_incident},
    }
    return jsonify(answer), 201 if outcome.created else 200
