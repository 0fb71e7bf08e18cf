"""GET /openapi.json: the API's description, assembled from the modules that serve it."""

import re
from functools import cache

from flask import jsonify

from . import (
    alerts_spec,
    bp,
    channels,
    drills_spec,
    duties_spec,
    impersonations_spec,
    incidents_spec,
    library_spec,
    me,
    official_accounts_spec,
    people_spec,
    public_notice_spec,
    qa,
    regulatory_spec,
    responses_spec,
    restriction_spec,
    review_spec,
    roles_spec,
    search,
)

#: each API module contributes its PATHS and SCHEMAS; a test checks they match the routes
MODULES = [
    me,
    search,
    channels,
    library_spec,
    incidents_spec,
    roles_spec,
    alerts_spec,
    responses_spec,
    review_spec,
    restriction_spec,
    regulatory_spec,
    people_spec,
    duties_spec,
    public_notice_spec,
    qa,
    drills_spec,
    official_accounts_spec,
    impersonations_spec,
]

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
                "reason": {"type": "string"},
            },
        }
    },
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def build_spec() -> dict:
    """Return the OpenAPI 3.1 document."""
    paths, schemas = {}, {"Error": ERROR_SCHEMA}
    for module in MODULES:
        paths.update(getattr(module, "PATHS", {}))
        schemas.update(getattr(module, "SCHEMAS", {}))
    paths["/openapi.json"] = {
        "get": {
            "summary": "This document",
            "operationId": "getOpenApi",
            "security": [],
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CrisisDesk API",
            "version": "1",
            "description": (
                "Incidents, library, responses and audit of the crisis-communication desk."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "signature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-CrisisDesk-Signature",
                    "description": (
                        "sha256=<hex HMAC-SHA256 of `<X-CrisisDesk-Timestamp>.<raw body>`>; the "
                        "timestamp (unix seconds) must be within 300 s"
                    ),
                },
            },
            "schemas": schemas,
            "responses": {
                "BadRequest": _error_response("Malformed JSON or parameters"),
                "Unauthenticated": _error_response("No token or a bad one"),
                "Forbidden": _error_response("The token's user may not do this"),
                "NotFound": _error_response("Unknown id or slug"),
                "Conflict": _error_response("Conflicts with the current state"),
                "Invalid": _error_response("Valid JSON, invalid values"),
            },
        },
    }


@cache
def query_parameters(rule: str, method: str) -> frozenset[str]:
    """The query parameters the document names for a URL rule (`/api/v1/x/<int:id>`) and method."""
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(bp.url_prefix))
    operation = build_spec()["paths"].get(path, {}).get(method.lower(), {})
    return frozenset(
        parameter["name"]
        for parameter in operation.get("parameters", ())
        if parameter.get("in") == "query"
    )


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return jsonify(build_spec())
