"""OpenAPI description of duties and their rotas."""

from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref

_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_SHIFT = {
    "type": "object",
    "required": ["user", "from", "until"],
    "properties": {
        "user": {"type": ["string", "null"]},
        "from": _TIME,
        "until": _TIME,
        "override": {"type": "boolean"},
    },
}

SCHEMAS = {
    "Shift": _SHIFT,
    "Duty": {
        "type": "object",
        "required": ["slug", "title", "period", "members", "on_duty"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "period": {"type": "string", "enum": ["daily", "weekly"]},
            "members": {"type": "array", "items": {"type": "string"}},
            "starts_on": {"type": "string", "format": "date"},
            "handover": {"type": "string"},
            "zone": {"type": "string"},
            "on_duty": _ref("Shift"),
        },
    },
}

PATHS = {
    "/duties": {
        "get": {
            "summary": "Duties with who holds each now",
            "operationId": "listDuties",
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("Duty")}},
                    }
                ),
                **_errors("401", "403"),
            },
        }
    },
    "/duties/{slug}/on-duty": {
        "get": {
            "summary": "Who holds the duty at a moment (user null: nobody)",
            "operationId": "getOnDuty",
            "parameters": [
                _SLUG,
                {"name": "at", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            ],
            "responses": {"200": _ok(_ref("Shift")), **_errors("401", "403", "404", "422")},
        }
    },
    "/duties/{slug}/overrides": {
        "post": {
            "summary": "Stand in for the rota (members of the duty, management, admin)",
            "operationId": "addOverride",
            "description": (
                "The override wins over the rota from `from` to `until` (at most 60 days, within a "
                "year of now); where overrides overlap, the later-starting one wins. A reason is "
                "required; the override is a timeline event."
            ),
            "parameters": [_SLUG],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["user", "from", "until", "reason"],
                    "properties": {
                        "user": {"type": "string", "maxLength": 64},
                        "from": {"type": "string", "format": "date-time"},
                        "until": {"type": "string", "format": "date-time"},
                        "reason": {"type": "string", "minLength": 1, "maxLength": 500},
                    },
                }
            ),
            "responses": {
                "201": _ok({"type": "object"}, "Recorded"),
                **_errors("400", "401", "403", "404", "422"),
            },
        }
    },
}
