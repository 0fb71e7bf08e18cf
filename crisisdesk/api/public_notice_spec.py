"""OpenAPI description of an incident's public notice."""

from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref

_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_RULES = (
    "An incident's first publication on the channel `website` puts its notice live on the public "
    "site (no login), under `PUBLIC_PREFIX` (`/public/`): German at `/public/notices/{public_id}`, "
    "English at `/public/en/notices/{public_id}`, with the index, `/public/feed.atom` and "
    "`/public/feed.json`. Every later website publication is an update; a retracted one leaves a "
    'dated "withdrawn" line. The page never names staff or the incident, and shows the '
    "reference only when `show_ref` is chosen. Its lead and administrators change `show_ref` and "
    "`ended` (`403` `not_keeper`); before the first publication there is no notice (`404` "
    "`no_notice` to GET, `422` to PATCH)."
)

SCHEMAS = {
    "PublicNotice": {
        "type": "object",
        "required": ["incident_id", "public_id", "paths", "show_ref", "created_at", "ended_at"],
        "properties": {
            "incident_id": {"type": "integer"},
            "public_id": {"type": "string"},
            "paths": {
                "type": "object",
                "properties": {"de": {"type": "string"}, "en": {"type": "string"}},
            },
            "show_ref": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "ended_at": {"type": ["string", "null"], "format": "date-time"},
        },
    }
}

PATHS = {
    "/incidents/{incident_id}/public-notice": {
        "get": {
            "summary": "The incident's public notice",
            "operationId": "getPublicNotice",
            "description": _RULES,
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("PublicNotice")), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Show the reference, end the notice or put it live again",
            "operationId": "changePublicNotice",
            "description": _RULES,
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"show_ref": {"type": "boolean"}, "ended": {"type": "boolean"}},
                }
            ),
            "responses": {
                "200": _ok(_ref("PublicNotice")),
                **_errors("400", "401", "403", "404", "422"),
            },
        },
    }
}
