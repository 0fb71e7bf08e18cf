"""Outbound webhooks: signed JSON POSTs, with a chat format for Slack / Microsoft Teams."""
from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..errors import Invalid
from ..timeline.describe import describe

FORMATS = ("json", "chat")
MAX_RESPONSE_BYTES = 64 * 1024  #: a receiver's answer is read no further than this


def payload(event, incident) -> dict:
    """The JSON body API.md documents: {id, kind, at, incident, data}."""
    base = current_app.config["BASE_URL"].rstrip("/")
    body = {"id": event.seq, "kind": event.kind, "at": event.at.isoformat().replace("+00:00", "Z"),
            "incident": None, "data": json.loads(event.data)}
    if incident is not None:
        body["incident"] = {"id": incident.id, "ref": incident.ref, "title": incident.title,
                            "severity": incident.severity, "status": incident.status,
                            "url": f"{base}/incidents/{incident.id}"}
    return body


def render_body(hook, event, incident) -> bytes:
    """The bytes to POST: the payload, or for chat tools a `text` line with the payload beside it."""
    data = payload(event, incident)
    if hook.format == "chat":
        ref = f"[{incident.ref}] " if incident else ""
        data = {"text": f"{ref}{event.actor_name} {describe(event)}", "crisisdesk": data}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the raw body>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def check_url(url) -> str:
    """Only http(s) endpoints."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise Invalid("bad_url", _("A webhook needs an http(s) address."), field="url")
    return url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could leak the signed body elsewhere
        return None


def post(hook, body: bytes, delivery_key: str) -> int:
    """POST the body; return the HTTP status, raise OSError on network failure or timeout."""
    request = urllib.request.Request(hook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "CrisisDesk",
        "X-CrisisDesk-Signature": signature(hook.secret, body), "X-CrisisDesk-Delivery": delivery_key})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=current_app.config["WEBHOOK_TIMEOUT"]) as response:
            response.read(MAX_RESPONSE_BYTES)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
