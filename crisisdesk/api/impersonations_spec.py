"""OpenAPI description of the incident's fakes (impersonation cases)."""

from ..impersonation.addresses import KINDS
from ..impersonation.cases import ADDRESS_MAX, BULK_MAX, REFERENCE_MAX, STATUSES
from ..impersonation.platforms import PLATFORMS
from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref

_INCIDENT = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ITEM = {"name": "suspect_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_RULES = (
    "A suspect item is a fake in the bank's name: a profile, post, domain, phone number or app. "
    "The kind and platform are read from the address when not given; the address is normalised "
    "(scheme, www., trailing slash, tracking parameters) so the same fake sent twice is merged. "
    "Statuses: found → reported → under_review → taken_down | refused; refused → re_reported; "
    "taken_down → re_reported (it came back); `409 bad_move` otherwise. The time to takedown "
    "runs from the first report. Readers of the incident read; its responders write."
)
_ENTRY = {
    "oneOf": [
        {"type": "string", "minLength": 1, "maxLength": ADDRESS_MAX},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["url"],
            "properties": {
                "url": {"type": "string", "minLength": 1, "maxLength": ADDRESS_MAX},
                "platform": {"type": "string", "enum": list(PLATFORMS)},
                "kind": {"type": "string", "enum": list(KINDS)},
                "reach": {"type": ["integer", "null"], "minimum": 0},
                "seen": {"type": "string", "format": "date-time"},
            },
        },
    ]
}
SCHEMAS = {
    "SuspectItem": {
        "type": "object",
        "required": ["id", "incident_id", "kind", "platform", "url", "status"],
        "properties": {
            "id": {"type": "integer"},
            "incident_id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(KINDS)},
            "platform": {"type": "string"},
            "url": {"type": "string"},
            "first_seen": {"type": "string", "format": "date-time"},
            "reach": {"type": ["integer", "null"]},
            "status": {"type": "string", "enum": list(STATUSES)},
            "platform_reference": {"type": "string"},
            "reported_at": {"type": ["string", "null"], "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "takedown_seconds": {"type": ["number", "null"]},
        },
    }
}
_LIST = {"type": "array", "items": _ref("SuspectItem")}
PATHS = {
    "/incidents/{incident_id}/impersonations": {
        "get": {
            "summary": "The incident's suspect items and takedown figures per platform",
            "operationId": "listImpersonations",
            "description": _RULES,
            "parameters": [_INCIDENT],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["items", "platforms"],
                        "properties": {"items": _LIST, "platforms": {"type": "object"}},
                    }
                ),
                **_errors("401", "403", "404"),
            },
        },
        "post": {
            "summary": "Add suspect items (duplicates merged)",
            "operationId": "addImpersonations",
            "description": _RULES,
            "parameters": [_INCIDENT],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["items"],
                    "properties": {
                        "items": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": BULK_MAX,
                            "items": _ENTRY,
                        }
                    },
                }
            ),
            "responses": {
                "201": _ok(
                    {
                        "type": "object",
                        "properties": {"created": _LIST, "merged": _LIST},
                    },
                    "Added",
                ),
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {"created": _LIST, "merged": _LIST},
                    },
                    "Every address was already listed",
                ),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        },
    },
    "/impersonations/{suspect_id}": {
        "get": {
            "summary": "One suspect item",
            "operationId": "getImpersonation",
            "parameters": [_ITEM],
            "responses": {"200": _ok(_ref("SuspectItem")), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Move a suspect item on, with the platform's case reference",
            "operationId": "moveImpersonation",
            "description": _RULES,
            "parameters": [_ITEM],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["status"],
                    "properties": {
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "platform_reference": {"type": "string", "maxLength": REFERENCE_MAX},
                    },
                }
            ),
            "responses": {
                "200": _ok(_ref("SuspectItem")),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        },
    },
}
