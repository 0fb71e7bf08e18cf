"""OpenAPI description of the library endpoints."""

from ..channel_catalogue import BUILTIN_AUDIENCES
from ..library.content import PHASES

_JSON = "application/json"


def _ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(*codes: str) -> dict:
    names = {
        "400": "BadRequest",
        "401": "Unauthenticated",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "Invalid",
    }
    return {code: {"$ref": f"#/components/responses/{names[code]}"} for code in codes}


def page_of(name: str) -> dict:
    """Schema of a paginated list of `name`."""
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "next_cursor": {"type": ["string", "null"]},
        },
    }


LIST_PARAMETERS = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
    {"name": "language", "in": "query", "schema": {"type": "string", "enum": ["de", "en"]}},
]
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_RULE = {
    "type": "object",
    "required": ["pattern", "values"],
    "properties": {"pattern": {"type": ["string", "null"]}, "values": _STRINGS},
}
_FREE_ITEM = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "pattern": {"type": ["string", "null"], "maxLength": 200},
                "values": _STRINGS,
            },
        },
    ]
}

PATHS = {
    "/playbooks": {
        "get": {
            "summary": "List playbooks",
            "operationId": "listPlaybooks",
            "parameters": LIST_PARAMETERS,
            "responses": {"200": _ok(page_of("PlaybookSummary")), **_errors("401", "422")},
        }
    },
    "/playbooks/{slug}": {
        "get": {
            "summary": "A playbook",
            "operationId": "getPlaybook",
            "parameters": [SLUG],
            "responses": {"200": _ok(_ref("Playbook")), **_errors("401", "404")},
        }
    },
    "/statements": {
        "get": {
            "summary": "List statements with approval state",
            "operationId": "listStatements",
            "parameters": LIST_PARAMETERS,
            "responses": {"200": _ok(page_of("Statement")), **_errors("401", "422")},
        }
    },
    "/statements/{slug}": {
        "get": {
            "summary": "A statement",
            "operationId": "getStatement",
            "parameters": [SLUG],
            "responses": {"200": _ok(_ref("Statement")), **_errors("401", "404")},
        }
    },
    "/statements/{slug}/approve": {
        "post": {
            "summary": "Approve the statement's current version (role legal)",
            "operationId": "approveStatement",
            "parameters": [SLUG],
            "description": (
                "Text placeholders not named in `free_placeholders` send any response with a value "
                "in them to legal. A rule's `pattern` must match the whole value (at most 200 "
                "characters, no repeated group that itself repeats); `values` lists the only "
                "values allowed; with both, a value must satisfy both."
            ),
            "requestBody": {
                "required": False,
                "content": {
                    _JSON: {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "review_by": {"type": "string", "format": "date"},
                                "free_placeholders": {"type": "array", "items": _FREE_ITEM},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _ok(_ref("Statement")),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        }
    },
}

_STEP = {
    "type": "object",
    "required": ["after_minutes", "target_role", "action"],
    "properties": {
        "after_minutes": {"type": "integer"},
        "target_role": {"type": "string"},
        "action": {"type": "string"},
        "on_opening": {"type": "boolean"},
        "target_duty": {"type": ["string", "null"]},
        "repeat_after": {"type": ["integer", "null"]},
        "fallback_duty": {"type": ["string", "null"]},
    },
}
_SUMMARY_PROPS = {
    "slug": {"type": "string"},
    "title": {"type": "string"},
    "language": {"type": "string", "enum": ["de", "en"]},
    "version": {"type": "string"},
    "default_severity": {"type": "integer", "minimum": 1, "maximum": 4},
    "statements": {"type": "array", "items": {"type": "string"}},
}

SCHEMAS = {
    "PlaybookSummary": {
        "type": "object",
        "required": list(_SUMMARY_PROPS),
        "properties": _SUMMARY_PROPS,
    },
    "Playbook": {
        "type": "object",
        "required": [*_SUMMARY_PROPS, "html", "checklist", "escalation"],
        "properties": {
            **_SUMMARY_PROPS,
            "html": {"type": "string"},
            "twin": {"type": ["string", "null"]},
            "triggers": {"type": "array", "items": {"type": "string"}},
            "roles": {"type": "array", "items": {"type": "string"}},
            "owner": {"type": "string"},
            "review_by": {"type": ["string", "null"]},
            "severity_criteria": {
                "type": "object",
                "description": "What makes an incident of this kind a 1, 2, 3 or 4",
                "additionalProperties": {"type": "string"},
            },
            "contacts": {
                "type": "array",
                "description": "Tags of the contact directory's entries to call for this playbook",
                "items": {"type": "string"},
            },
            "checklist": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "text"],
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "phase": {
                            "type": ["string", "null"],
                            "enum": [*PHASES, None],
                            "description": "When the item is due: null in older versions",
                        },
                    },
                },
            },
            "escalation": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": _STEP},
            },
            "update_cadence_minutes": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
        },
    },
    "Statement": {
        "type": "object",
        "required": [
            "slug",
            "title",
            "language",
            "channels",
            "version",
            "placeholders",
            "approval",
        ],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "language": {"type": "string"},
            "version": {"type": "string"},
            "body": {"type": "string"},
            "audience": {
                "type": ["string", "null"],
                "enum": [*BUILTIN_AUDIENCES, None],
                "description": "Who the text is for; it decides the channels it may go out on",
            },
            "channels": {"type": "array", "items": {"type": "string"}},
            "placeholders": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "label", "type", "required"],
                    "properties": {
                        "name": {"type": "string"},
                        "label": {
                            "type": "string",
                            "description": "What the field is called, in the statement's language",
                        },
                        "type": {"type": "string"},
                        "required": {"type": "boolean"},
                        "help": {"type": "string"},
                        "max_length": {"type": "integer"},
                        "options": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "approval": {
                "type": "object",
                "required": ["status"],
                "properties": {
                    "status": {"type": "string", "enum": ["approved", "unapproved", "expired"]},
                    "approved_by": {"type": ["string", "null"]},
                    "approved_at": {"type": ["string", "null"]},
                    "review_by": {"type": ["string", "null"]},
                    "free_placeholders": {"type": "array", "items": {"type": "string"}},
                    "free_placeholder_rules": {"type": "object", "additionalProperties": _RULE},
                },
            },
        },
    },
}
