"""OpenAPI description of the post-mortem and audit endpoints."""

from .library_spec import _errors, _ok, _ref

_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_TEXT = {"type": "string", "maxLength": 20000}
_ACTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 2000},
        "owner": {"type": "string", "maxLength": 120},
        "due": {"type": ["string", "null"], "format": "date"},
        "status": {"type": "string", "enum": ["open", "done"]},
    },
}
_NULL_INT = {"type": ["integer", "null"]}
_NULL_STR = {"type": ["string", "null"]}
#: what the records check found (also when the chain failed first)
_RECORDS = {
    "type": "object",
    "required": ["ok", "records_checked"],
    "properties": {
        "ok": {"type": "boolean"},
        "records_checked": {"type": "integer"},
        "first_bad_event": _NULL_INT,
        "problem": {"type": "string", "enum": ["row_differs", "row_missing", "row_without_event"]},
        "table": {"type": "string"},
        "row": _NULL_INT,
        "field": _NULL_STR,
        "mismatches": {"type": "integer"},
    },
}
_AUDIT_REPORT = {
    "type": "object",
    "required": [
        "ok",
        "events_checked",
        "records_checked",
        "missing_triggers",
        "checks",
        "records",
    ],
    "properties": {
        "ok": {"type": "boolean"},
        "events_checked": {"type": "integer"},
        "records_checked": {"type": "integer"},
        "missing_triggers": {"type": "array", "items": {"type": "string"}},
        "checks": {
            "type": "object",
            "properties": {name: {"type": "boolean"} for name in ("chain", "records", "triggers")},
        },
        "records": _RECORDS,
        # the first check that failed, in the order chain, records, triggers, and what it found
        "failed_check": {"type": "string", "enum": ["chain", "records", "triggers"]},
        "first_bad_event": _NULL_INT,
        "problem": {"type": "string"},
        "table": {"type": "string"},
        "row": _NULL_INT,
        "field": _NULL_STR,
        "mismatches": {"type": "integer"},
    },
}

SCHEMAS = {
    "Postmortem": {
        "type": "object",
        "required": ["metrics", "summary", "lessons", "actions"],
        "properties": {
            "incident_id": {"type": "integer"},
            "metrics": {
                "type": "object",
                "properties": {
                    "time_to_first_ack_s": _NULL_INT,
                    "time_to_first_publication_s": _NULL_INT,
                    "median_legal_review_s": _NULL_INT,
                    "responses_published": {"type": "integer"},
                    "escalations_overdue": {"type": "integer"},
                    "duration_s": _NULL_INT,
                },
            },
            "summary": {"type": "string"},
            "went_well": {"type": "string"},
            "went_badly": {"type": "string"},
            "lessons": {"type": "string"},
            "actions": {"type": "array", "items": _ACTION},
        },
    },
    "AuditReport": _AUDIT_REPORT,
}

PATHS = {
    "/incidents/{incident_id}/postmortem": {
        "get": {
            "summary": "Post-mortem with metrics",
            "operationId": "getPostmortem",
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("Postmortem")), **_errors("401", "403", "404")},
        },
        "put": {
            "summary": "Set summary, lessons, actions (lead, management, admin)",
            "operationId": "putPostmortem",
            "parameters": [_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "summary": _TEXT,
                                "went_well": _TEXT,
                                "went_badly": _TEXT,
                                "lessons": _TEXT,
                                "actions": {"type": "array", "maxItems": 50, "items": _ACTION},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _ok(_ref("Postmortem")),
                **_errors("400", "401", "403", "404", "422"),
            },
        },
    },
    "/incidents/{incident_id}/postmortem.md": {
        "get": {
            "summary": "Post-mortem as Markdown",
            "operationId": "getPostmortemMarkdown",
            "parameters": [_ID],
            "responses": {
                "200": {
                    "description": "Markdown",
                    "content": {"text/markdown": {"schema": {"type": "string"}}},
                },
                **_errors("401", "403", "404"),
            },
        }
    },
    "/audit/verify": {
        "get": {
            "summary": (
                "Check the hash chain, the tables it records and their append-only triggers "
                "(management, admin)"
            ),
            "operationId": "auditVerify",
            "responses": {"200": _ok(_ref("AuditReport")), **_errors("401", "403")},
        }
    },
}
