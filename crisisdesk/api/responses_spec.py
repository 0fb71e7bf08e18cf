"""OpenAPI description of the response endpoints."""

from .library_spec import _errors, _ok, _ref

_JSON = "application/json"
_RID = {"name": "response_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_IID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NULL_STR = {"type": ["string", "null"]}
_WRITE = _errors("400", "401", "403", "404", "409", "422")


def _body(properties: dict, required: list[str] | None = None, body_required: bool = True) -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = required
    return {"required": body_required, "content": {_JSON: {"schema": schema}}}


def _action(summary: str, operation: str, properties: dict | None = None, required=None) -> dict:
    item = {
        "summary": summary,
        "operationId": operation,
        "parameters": [_RID],
        "responses": {"200": _ok(_ref("Response")), **_WRITE},
    }
    item["requestBody"] = _body(properties or {}, required, body_required=bool(required))
    return {"post": item}


_PROPS = {
    "id": {"type": "integer"},
    "incident_id": {"type": "integer"},
    "channel": {"type": "string"},
    "audience": {"type": "string"},
    "language": {"type": "string"},
    "status": {
        "type": "string",
        "enum": ["draft", "preapproved", "pending_legal", "approved", "rejected", "published"],
    },
    "body": {"type": "string"},
    "revision": {"type": "integer"},
    "revision_hash": {"type": "string"},
    "statement": _NULL_STR,
    "statement_version": _NULL_STR,
    "author": {"type": "string"},
    "approved_revision": {"type": ["integer", "null"]},
    "corrects": {"type": ["integer", "null"]},
    "published_at": _NULL_STR,
    "published_url": _NULL_STR,
    "published_by": _NULL_STR,
    "retracted_at": _NULL_STR,
    "retract_reason": _NULL_STR,
    "revisions": {"type": "array", "items": {"type": "object"}},
    "reviews": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["revision", "decision", "comment", "reviewer", "at"],
            "properties": {
                "revision": {"type": "integer"},
                "decision": {"type": "string", "enum": ["approved", "rejected"]},
                "comment": {"type": "string"},
                "reviewer": {"type": "string"},
                "at": {"type": "string"},
            },
        },
    },
    "draft_reason": {
        "type": ["string", "null"],
        "enum": ["free_text", "edited", "unapproved", "expired", "not_free", None],
    },
    "draft_message": _NULL_STR,
}
SCHEMAS = {
    "Response": {
        "type": "object",
        "required": [
            "id",
            "incident_id",
            "channel",
            "audience",
            "status",
            "body",
            "revision",
            "statement",
            "statement_version",
            "author",
        ],
        "properties": _PROPS,
    }
}

_DRAFT = {
    "channel": {"type": "string", "maxLength": 20, "description": "A channel from GET /channels"},
    "audience": {
        "type": "string",
        "maxLength": 20,
        "description": (
            "Who the text is for (GET /channels lists the audiences and their channels); default: "
            "the statement's audience, else the channel's first"
        ),
    },
    "language": {"type": "string", "enum": ["de", "en"]},
    "statement": {"type": "string"},
    "values": {"type": "object", "additionalProperties": {"type": "string"}},
    "body": {"type": "string", "minLength": 1, "maxLength": 20000},
    "corrects": {"type": "integer"},
}

PATHS = {
    "/incidents/{incident_id}/responses": {
        "post": {
            "summary": "Draft a response",
            "operationId": "draftResponse",
            "parameters": [_IID],
            "description": (
                "`draft_reason` says why the response is a draft rather than pre-approved: "
                "`free_text`, `edited`, `unapproved`, `expired`, or `not_free` (a value in a text "
                "placeholder legal did not mark free); `draft_message` says it in words."
            ),
            "requestBody": _body(_DRAFT, ["channel"]),
            "responses": {"201": _ok(_ref("Response"), "Drafted"), **_WRITE},
        },
        "get": {
            "summary": "The incident's responses",
            "operationId": "listResponses",
            "parameters": [_IID],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["items", "next_cursor"],
                        "properties": {
                            "items": {"type": "array", "items": _ref("Response")},
                            "next_cursor": {"type": ["string", "null"]},
                        },
                    }
                ),
                **_errors("401", "403", "404"),
            },
        },
    },
    "/responses/{response_id}": {
        "get": {
            "summary": "A response with revisions and reviews",
            "operationId": "getResponse",
            "parameters": [_RID],
            "responses": {"200": _ok(_ref("Response")), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Revise the text (new revision, back to draft)",
            "operationId": "reviseResponse",
            "parameters": [_RID],
            "requestBody": _body(
                {"body": {"type": "string", "minLength": 1, "maxLength": 20000}}, ["body"]
            ),
            "responses": {"200": _ok(_ref("Response")), **_WRITE},
        },
    },
    "/responses/{response_id}/submit": _action(
        "Send a draft to legal (a rejected revision must be revised first)", "submitResponse"
    ),
    "/responses/{response_id}/approve": _action(
        "Approve (legal, not the author)",
        "approveResponse",
        {"comment": {"type": "string", "maxLength": 5000}},
    ),
    "/responses/{response_id}/reject": _action(
        "Reject with a comment (legal, not the author)",
        "rejectResponse",
        {"comment": {"type": "string", "minLength": 1, "maxLength": 5000}},
        ["comment"],
    ),
    "/responses/{response_id}/publish": _action(
        "Record the publication (a pre-approved text whose approval lapsed drops to draft: 409; "
        "going out before our own people were told, where the playbook says they come first, "
        "needs `internal_first_reason`: 409 `internal_first` without it)",
        "publishResponse",
        {
            "url": {"type": "string", "format": "uri"},
            "published_at": {"type": "string", "format": "date-time"},
            "internal_first_reason": {"type": "string", "maxLength": 5000},
        },
    ),
    "/responses/{response_id}/retract": _action(
        "Record a retraction",
        "retractResponse",
        {"reason": {"type": "string", "minLength": 1, "maxLength": 5000}},
        ["reason"],
    ),
}
