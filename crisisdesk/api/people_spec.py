"""OpenAPI description of the contact directory."""

from ..people.fields import LIST_MAX, TEXT_MAX
from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref

_ID = {"name": "contact_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_WRITERS = (
    "Management and administrators. Contacts are personal data: each change is a timeline event "
    "naming the contact's id and the fields changed, never their values."
)


def _list(name: str, pattern: str) -> dict:
    return {
        "type": "array",
        "maxItems": LIST_MAX[name],
        "items": {"type": "string", "pattern": pattern, "maxLength": 40},
    }


_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX["name"]},
    "organisation": {"type": "string", "maxLength": TEXT_MAX["organisation"]},
    "function": {"type": "string", "maxLength": TEXT_MAX["function"]},
    "phones": _list("phones", r"^\+?[0-9(][0-9 ()/.\-]{2,28}[0-9]$"),
    "email": {"type": "string", "maxLength": 254},
    "languages": _list("languages", "^[A-Za-z]{2}$"),
    "tags": _list("tags", "^[A-Za-z0-9][A-Za-z0-9-]{0,39}$"),
    "notes": {"type": "string", "maxLength": TEXT_MAX["notes"]},
    "user": {"type": ["string", "null"], "maxLength": 64},
    "owner": {"type": "string", "maxLength": 64},
}

SCHEMAS = {
    "Contact": {
        "type": "object",
        "required": ["id", "name", "phones", "languages", "tags", "review_by"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "organisation": {"type": "string"},
            "function": {"type": "string"},
            "phones": {"type": "array", "items": {"type": "string"}},
            "email": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "string"},
            "user": {"type": ["string", "null"]},
            "owner": {"type": "string"},
            "review_by": {"type": "string", "format": "date"},
            "review_overdue": {"type": "boolean"},
        },
    }
}

PATHS = {
    "/contacts": {
        "get": {
            "summary": "Search the contact directory",
            "operationId": "listContacts",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}},
                {"name": "tag", "in": "query", "schema": {"type": "string", "maxLength": 40}},
            ],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("Contact")}},
                    }
                ),
                **_errors("401", "403", "422"),
            },
        },
        "post": {
            "summary": "Add a contact",
            "operationId": "createContact",
            "description": _WRITERS,
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": _FIELDS,
                }
            ),
            "responses": {
                "201": _ok(_ref("Contact"), "Created"),
                **_errors("400", "401", "403", "422"),
            },
        },
    },
    "/contacts/{contact_id}": {
        "get": {
            "summary": "One contact",
            "operationId": "getContact",
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("Contact")), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Change a contact",
            "operationId": "patchContact",
            "description": _WRITERS,
            "parameters": [_ID],
            "requestBody": _body(
                {"type": "object", "additionalProperties": False, "properties": _FIELDS}
            ),
            "responses": {
                "200": _ok(_ref("Contact")),
                **_errors("400", "401", "403", "404", "422"),
            },
        },
        "delete": {
            "summary": "Delete a contact and its personal data",
            "operationId": "deleteContact",
            "description": _WRITERS,
            "parameters": [_ID],
            "responses": {"204": {"description": "Deleted"}, **_errors("401", "403", "404")},
        },
    },
}
