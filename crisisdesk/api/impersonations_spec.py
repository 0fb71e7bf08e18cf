"""OpenAPI description of the incident's fakes (impersonation cases)."""

from ..impersonation.addresses import KINDS
from ..impersonation.cases import ADDRESS_MAX, BULK_MAX, REFERENCE_MAX, STATUSES
from ..impersonation.platforms import PLATFORMS
from .incidents_spec import _body
from .library_spec import LIST_PARAMETERS, _errors, _ok, _ref, page_of

_INCIDENT = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
#: ?limit= and ?cursor=
_PAGING = LIST_PARAMETERS[:2]
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
_EVIDENCE = (
    "Evidence files: PNG, JPEG or PDF, recognised from their first bytes (a renamed file of "
    "another kind is refused, `422 bad_type`), not empty, up to the configured size "
    "(default 10 MB; `422 too_big`, or `413` when the request itself is larger). Kept outside "
    "the database under "
    "their SHA-256, recorded on the timeline with it (`audit verify` reports a changed or missing "
    "file); the same file twice is kept once. `strip=true` removes image metadata (EXIF with "
    "GPS, XMP, IPTC, PNG text chunks) without touching a pixel; the event keeps the original's "
    "hash. Downloads (`/evidence/{id}` in the desk) come as attachments, never shown inline."
)
SCHEMAS = {
    "Evidence": {
        "type": "object",
        "required": ["id", "incident_id", "sha256", "content_type", "size"],
        "properties": {
            "id": {"type": "integer"},
            "incident_id": {"type": "integer"},
            "sha256": {"type": "string"},
            "content_type": {
                "type": "string",
                "enum": ["image/png", "image/jpeg", "application/pdf"],
            },
            "size": {"type": "integer"},
            "filename": {"type": "string"},
            "stripped": {"type": "boolean"},
            "uploaded_at": {"type": "string", "format": "date-time"},
        },
    },
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
    },
}
_LIST = {"type": "array", "items": _ref("SuspectItem")}
PATHS = {
    "/incidents/{incident_id}/impersonations": {
        "get": {
            "summary": "The incident's suspect items and takedown figures per platform",
            "operationId": "listImpersonations",
            "description": _RULES,
            "parameters": [_INCIDENT, *_PAGING],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["items", "next_cursor", "platforms"],
                        "properties": {
                            "items": _LIST,
                            "next_cursor": {"type": ["string", "null"]},
                            "platforms": {"type": "object"},
                        },
                    }
                ),
                **_errors("401", "403", "404", "422"),
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
    "/incidents/{incident_id}/evidence": {
        "get": {
            "summary": "The incident's evidence files",
            "operationId": "listEvidence",
            "description": _EVIDENCE,
            "parameters": [_INCIDENT, *_PAGING],
            "responses": {
                "200": _ok(page_of("Evidence")),
                **_errors("401", "403", "404", "422"),
            },
        },
        "post": {
            "summary": "Keep a screenshot or document as evidence",
            "operationId": "addEvidence",
            "description": _EVIDENCE,
            "parameters": [_INCIDENT],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "strip": {"type": "string", "enum": ["true", "false"]},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _ok(_ref("Evidence"), "Kept"),
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
