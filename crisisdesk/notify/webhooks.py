"""Outbound webhooks: signed JSON POSTs, with chat
formats for Slack-compatible tools and Microsoft Teams.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..errors import Invalid
from . import addresses, chat

FORMATS = ("json", "chat", "teams")
MAX_RESPONSE_BYTES = 64 * 1024  #: a receiver's answer is read no further than this


def incident_link(incident) -> str:
    """The desk's address of the incident (or of the desk)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/incidents/{incident.id}" if incident is not None else base


def payload(event, incident) -> dict:
    """The JSON body API.md documents: {id, kind, at, incident, data}."""
    body = {
        "id": event.seq,
        "kind": event.kind,
        "at": event.at.isoformat().replace("+00:00", "Z"),
        "incident": None,
        "data": json.loads(event.data),
    }
    if incident is not None:
        body["incident"] = {
            "id": incident.id,
            "ref": incident.ref,
            "title": incident.title,
            "severity": incident.severity,
            "status": incident.status,
            "url": incident_link(incident),
            "drill": incident.drill,
        }
    return body


def render_body(hook, event, incident) -> bytes:
    """The bytes to POST: the payload, a Slack-compatible text line beside it, or a Teams card."""
    if hook.format == "teams":
        data = chat.teams_body(event, incident, incident_link(incident))
    elif hook.format == "chat":
        data = chat.chat_body(event, incident, payload(event, incident))
    else:
        data = payload(event, incident)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the raw body>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _host_of(url) -> str | None:
    """The host of an http(s) URL, or None if the URL is not one."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number from 0 to 65535
    except ValueError:  # also an unclosed IPv6 bracket
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return parts.hostname or None


def check_url(url) -> str:
    """Only http(s) endpoints, and none on a loopback, private, link-local or reserved address."""
    host = _host_of(url)
    if host is None:
        raise Invalid("bad_url", _("A webhook needs an http(s) address."), field="url")
    refused = addresses.refusal(host)
    if refused is not None:
        raise Invalid(
            "internal_address",
            _(
                "Webhooks cannot reach %(address)s: loopback, private, link-local and "
                "reserved addresses are refused unless listed in "
                "WEBHOOK_ALLOWED_HOSTS.",
                address=refused[:100],
            ),
            field="url",
        )
    return url


def post(hook, body: bytes, delivery_key: str) -> int:
    """POST the body to a checked address; return the HTTP
    status, raise OSError on refusal, failure or timeout.

    No redirect is followed (it could carry the signed body elsewhere) and at most 64 KiB of the
    answer is read.
    """
    parts = urlsplit(hook.url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    targets = addresses.resolve_checked(
        parts.hostname, port
    )  # literal addresses in any spelling, or DNS
    kind = addresses.PinnedHTTPSConnection if secure else addresses.PinnedHTTPConnection
    connection = kind(parts.hostname, port, targets, timeout=current_app.config["WEBHOOK_TIMEOUT"])
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "CrisisDesk",
                "X-CrisisDesk-Signature": signature(hook.secret, body),
                "X-CrisisDesk-Delivery": delivery_key,
            },
        )
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()
