"""OpenAPI description of inbound alerts: signed or token-authenticated, deduplicated by key."""

from .incidents_spec import _CHANNELS, _SEVERITY, _body
from .library_spec import _errors, _ok, _ref

_ALERT_DESCRIPTION = (
    "Authenticate with a bearer token (role oncall) or sign the request with the configured alert "
    "secret: `X-CrisisDesk-Timestamp: <unix seconds>` and `X-CrisisDesk-Signature: sha256=<hex "
    "HMAC-SHA256 of '<timestamp>.<raw body>'>`, optionally `X-CrisisDesk-Delivery: <unique id>`. "
    "Refused with `401` and the error `code` `stale_signature` (timestamp missing, malformed, or "
    "more than ALERT_MAX_AGE_SECONDS, default 300, off the server's clock), `replayed` (this "
    "signature or delivery id was already received within that window) or `mixed_authentication` "
    "(an Authorization header together with a signature).\n\n"
    "An alert whose `dedupe_key` matches an incident: open or monitoring → the source link is "
    "added (`200`, action `attached`); resolved → the incident is reopened (`200`, action "
    "`reopened`); closed → a new incident is opened whose `follows` names the closed one (`201`, "
    "action `opened_after_closed`). No match: a new incident (`201`, action `opened`)."
)
_ALERT_HEADERS = [
    {
        "name": "X-CrisisDesk-Timestamp",
        "in": "header",
        "required": False,
        "description": "Signed alerts: the time of sending in Unix seconds",
        "schema": {"type": "string"},
    },
    {
        "name": "X-CrisisDesk-Delivery",
        "in": "header",
        "required": False,
        "description": "Signed alerts: a unique id; the same id again within the window is refused",
        "schema": {"type": "string"},
    },
]
SCHEMAS = {}
SCHEMAS["AlertIncident"] = {
    "allOf": [
        _ref("Incident"),
        {
            "type": "object",
            "required": ["alert"],
            "properties": {
                "alert": {
                    "type": "object",
                    "required": ["action", "previous_incident"],
                    "properties": {
                        "action": {
                            "type": "string",
                            "enum": ["opened", "attached", "reopened", "opened_after_closed"],
                        },
                        "previous_incident": {
                            "type": ["integer", "null"],
                            "description": "The closed incident a new one follows",
                        },
                    },
                }
            },
        },
    ]
}

PATHS = {
    "/alerts": {
        "post": {
            "summary": "Inbound alert: open an incident or add to the one with the same dedupe_key",
            "description": _ALERT_DESCRIPTION,
            "parameters": _ALERT_HEADERS,
            "operationId": "receiveAlert",
            "security": [{"bearer": []}, {"signature": []}],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["dedupe_key", "title"],
                    "additionalProperties": False,
                    "properties": {
                        "dedupe_key": {"type": "string", "minLength": 1, "maxLength": 200},
                        "title": {"type": "string", "minLength": 1, "maxLength": 200},
                        "summary": {"type": "string", "maxLength": 5000},
                        "severity": _SEVERITY,
                        "playbook": {"type": "string"},
                        "source_url": {"type": "string", "format": "uri"},
                        "channel": _CHANNELS["items"],
                    },
                }
            ),
            "responses": {
                "201": _ok(_ref("AlertIncident"), "Opened (action opened or opened_after_closed)"),
                "200": _ok(
                    _ref("AlertIncident"), "Added to a live incident or reopened a resolved one"
                ),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        }
    },
}
