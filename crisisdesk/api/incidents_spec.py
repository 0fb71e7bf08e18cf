"""OpenAPI description of the incident and timeline endpoints."""

from .library_spec import _errors, _ok, _ref, page_of
from .restriction_spec import NEED_TO_KNOW

_JSON = "application/json"
_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": ["string", "null"]}
_SEVERITY = {"type": "integer", "minimum": 1, "maximum": 4}
_STATUS = {"type": "string", "enum": ["open", "monitoring", "resolved", "closed"]}
#: a channel of the catalogue (GET /channels); a bank may configure more than the built-in ones
_CHANNEL = {"type": "string", "maxLength": 20, "description": "A channel name from GET /channels"}
_CHANNELS = {"type": "array", "items": _CHANNEL}


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {_JSON: {"schema": schema}}}


_SUMMARY_PROPS = {
    "id": {"type": "integer"},
    "ref": {"type": "string"},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "severity": _SEVERITY,
    "status": _STATUS,
    "playbook": {"type": "string"},
    "channels": {"type": "array", "items": {"type": "string"}},
    "opened_at": _TIME,
    "opened_by": {"type": "string"},
    "detected_at": _TIME,
    "lead": {"type": ["string", "null"]},
    "drill": {"type": "boolean"},
}

SCHEMAS = {
    "IncidentSummary": {
        "type": "object",
        "required": list(_SUMMARY_PROPS),
        "properties": _SUMMARY_PROPS,
    },
    "Incident": {
        "type": "object",
        "required": [*_SUMMARY_PROPS, "playbook_version", "roles", "escalations", "checklist"],
        "properties": {
            **_SUMMARY_PROPS,
            "playbook_version": {"type": "string"},
            "roles": {"type": "object", "additionalProperties": {"type": "string"}},
            "escalations": {"type": "array", "items": _ref("EscalationStep")},
            "checklist": {"type": "array", "items": _ref("ChecklistItem")},
            "source_links": {"type": "array", "items": {"type": "string"}},
            "follows": {
                "type": ["integer", "null"],
                "description": "The closed incident this one was opened after "
                "(an alert with the same dedupe_key)",
            },
            "restricted": {"type": "boolean"},
            "members": {"type": "array", "items": {"type": "string"}},
        },
    },
    "EscalationStep": {
        "type": "object",
        "required": ["id", "due_at", "target_role", "action", "status"],
        "properties": {
            "id": {"type": "integer"},
            "due_at": _TIME,
            "after_minutes": {"type": "integer"},
            "target_role": {"type": "string"},
            "action": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["pending", "notified", "acknowledged", "cancelled"],
            },
            "notified_at": _NULLABLE_TIME,
            "acknowledged_at": _NULLABLE_TIME,
            "acknowledged_by": {"type": ["string", "null"]},
            "target_duty": {"type": ["string", "null"]},
            "fallback_duty": {"type": ["string", "null"]},
            "repeat_after": {"type": ["integer", "null"]},
            "rule": {"type": "integer", "description": "How many rules have been told (0: none)"},
            "notified_user": {
                "type": ["string", "null"],
                "description": "The duty holder told in person at the current rule",
            },
        },
    },
    "ChecklistItem": {
        "type": "object",
        "required": ["id", "text", "done", "done_by", "done_at"],
        "properties": {
            "id": {"type": "string"},
            "text": {"type": "string"},
            "done": {"type": "boolean"},
            "done_by": {"type": ["string", "null"]},
            "done_at": _NULLABLE_TIME,
        },
    },
    "Event": {
        "type": "object",
        "required": ["seq", "at", "kind", "actor", "data", "hash"],
        "properties": {
            "seq": {"type": "integer"},
            "at": _TIME,
            "kind": {"type": "string"},
            "actor": {"type": "string"},
            "incident_id": {"type": ["integer", "null"]},
            "data": {"type": "object"},
            "hash": {"type": "string"},
            "prev_hash": {"type": "string"},
        },
    },
}

_OPEN_BODY = {
    "type": "object",
    "required": ["title", "severity", "playbook"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "summary": {"type": "string", "maxLength": 5000},
        "severity": _SEVERITY,
        "playbook": {"type": "string"},
        "channels": _CHANNELS,
        "detected_at": {"type": "string", "format": "date-time"},
        "source_links": {
            "type": "array",
            "maxItems": 20,
            "items": {"type": "string", "format": "uri"},
        },
        "restricted": {"type": "boolean"},
        "restriction_reason": {"type": "string", "maxLength": 500},
    },
}
_PATCH_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "summary": {"type": "string", "maxLength": 5000},
        "severity": _SEVERITY,
        "status": _STATUS,
        "restricted": {"type": "boolean"},
        "reason": {"type": "string", "maxLength": 500},
    },
}
_LIST_PARAMS = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
    {"name": "status", "in": "query", "schema": _STATUS},
    {"name": "severity", "in": "query", "schema": _SEVERITY},
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}},
]


_INCIDENT = {"200": _ok(_ref("Incident"))}
_WRITE_ERRORS = _errors("400", "401", "403", "404", "409", "422")

PATHS = {
    "/incidents": {
        "post": {
            "summary": "Open an incident (role oncall or admin)",
            "operationId": "openIncident",
            "requestBody": _body(_OPEN_BODY),
            "responses": {
                "201": _ok(_ref("Incident"), "Opened"),
                **_errors("400", "401", "403", "422"),
            },
        },
        "get": {
            "summary": "Incidents, newest first",
            "operationId": "listIncidents",
            "parameters": _LIST_PARAMS,
            "responses": {"200": _ok(page_of("IncidentSummary")), **_errors("401", "403", "422")},
        },
    },
    "/incidents/{incident_id}": {
        "get": {
            "summary": "One incident",
            "operationId": "getIncident",
            "parameters": [_ID],
            "responses": {**_INCIDENT, **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Change title, summary, severity, status or need-to-know",
            "operationId": "updateIncident",
            "description": NEED_TO_KNOW,
            "parameters": [_ID],
            "requestBody": _body(_PATCH_BODY),
            "responses": {**_INCIDENT, **_WRITE_ERRORS},
        },
    },
    "/incidents/{incident_id}/escalations/{step_id}/ack": {
        "post": {
            "summary": "Acknowledge an escalation step",
            "operationId": "acknowledgeStep",
            "parameters": [
                _ID,
                {"name": "step_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _ok(_ref("EscalationStep")),
                **_errors("401", "403", "404", "409"),
            },
        }
    },
    "/incidents/{incident_id}/checklist/{item_id}": {
        "post": {
            "summary": "Tick or untick a checklist item",
            "operationId": "setChecklistItem",
            "parameters": [
                _ID,
                {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["done"],
                    "additionalProperties": False,
                    "properties": {"done": {"type": "boolean"}},
                }
            ),
            "responses": {"200": _ok(_ref("ChecklistItem")), **_WRITE_ERRORS},
        }
    },
    "/incidents/{incident_id}/notes": {
        "post": {
            "summary": "Add a note",
            "operationId": "addNote",
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["text"],
                    "additionalProperties": False,
                    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 5000}},
                }
            ),
            "responses": {"201": _ok(_ref("Event"), "The note's event"), **_WRITE_ERRORS},
        }
    },
    "/incidents/{incident_id}/links": {
        "post": {
            "summary": "Attach a source link",
            "operationId": "addSourceLink",
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["url"],
                    "additionalProperties": False,
                    "properties": {"url": {"type": "string", "format": "uri", "maxLength": 2000}},
                }
            ),
            "responses": {"201": _ok(_ref("Incident")), **_WRITE_ERRORS},
        }
    },
    "/incidents/{incident_id}/timeline": {
        "get": {
            "summary": "The incident's timeline, oldest first",
            "operationId": "getTimeline",
            "parameters": [
                _ID,
                *_LIST_PARAMS[:2],
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {"200": _ok(page_of("Event")), **_errors("401", "403", "404", "422")},
        }
    },
}
