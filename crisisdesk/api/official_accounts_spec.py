"""OpenAPI description of the official-account registry."""

from ..impersonation.official import RECOVERY_MAX, TEXT_MAX, URL_MAX
from ..impersonation.platforms import PLATFORMS
from .incidents_spec import _body
from .library_spec import LIST_PARAMETERS, _errors, _ok, _ref, page_of

_ID = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_RULES = (
    "The bank's own accounts. Every desk role reads the registry; management and administrators "
    "keep it. The active accounts are the public page `/public/channels`. `review_overdue`: the "
    "access was never reviewed, or last more than six months ago. Each change is a timeline event "
    "naming the fields changed, with the values of the public ones only."
)
_FIELDS = {
    "platform": {"type": "string", "enum": list(PLATFORMS)},
    "handle": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX["handle"]},
    "url": {"type": "string", "pattern": "^https?://[^/\\s]+", "maxLength": URL_MAX},
    "verified": {"type": "boolean"},
    "purpose": {"type": "string", "maxLength": TEXT_MAX["purpose"]},
    "owner": {"type": "string", "maxLength": TEXT_MAX["owner"]},
    "second_factor": {"type": "string", "maxLength": TEXT_MAX["second_factor"]},
    "recovery_contacts": {"type": "string", "maxLength": RECOVERY_MAX},
    "last_access_review": {"type": ["string", "null"], "format": "date"},
    "active": {"type": "boolean"},
}
SCHEMAS = {
    "OfficialAccount": {
        "type": "object",
        "required": ["id", "platform", "handle", "url", "verified", "active", "review_overdue"],
        "properties": {
            "id": {"type": "integer"},
            **{name: {"type": schema["type"]} for name, schema in _FIELDS.items()},
            "review_overdue": {"type": "boolean"},
            "changed_at": {"type": "string", "format": "date-time"},
        },
    }
}
PATHS = {
    "/official-accounts": {
        "get": {
            "summary": "The official accounts, active ones first",
            "operationId": "listOfficialAccounts",
            "description": _RULES,
            "parameters": LIST_PARAMETERS[:2],
            "responses": {
                "200": _ok(page_of("OfficialAccount")),
                **_errors("401", "403", "422"),
            },
        },
        "post": {
            "summary": "Register an official account (management, administrators)",
            "operationId": "addOfficialAccount",
            "description": _RULES,
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["platform", "handle", "url"],
                    "properties": _FIELDS,
                }
            ),
            "responses": {
                "201": _ok(_ref("OfficialAccount"), "Registered"),
                **_errors("400", "401", "403", "409", "422"),
            },
        },
    },
    "/official-accounts/{account_id}": {
        "get": {
            "summary": "One official account",
            "operationId": "getOfficialAccount",
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("OfficialAccount")), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Change an official account (management, administrators)",
            "operationId": "changeOfficialAccount",
            "description": _RULES,
            "parameters": [_ID],
            "requestBody": _body(
                {"type": "object", "additionalProperties": False, "properties": _FIELDS}
            ),
            "responses": {
                "200": _ok(_ref("OfficialAccount")),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        },
    },
}
