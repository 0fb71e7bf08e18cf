"""OpenAPI description of need-to-know incidents: the caller's own list and the members."""

from .library_spec import _errors, _ok, _ref

_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NEED_TO_KNOW = (
    "A restricted incident is seen only by its lead, its role holders, its named members and "
    "administrators; to anyone else every route answers `404`, and it is in no shared list "
    "(`GET /incidents/restricted` lists those the caller may see). Restricting or opening it "
    "again (`restricted` with a `reason`, required) and naming members are for its lead and "
    "administrators (`403` `not_keeper`)."
)
_USERNAME = {"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}
_INCIDENT = {"200": _ok(_ref("Incident"))}

PATHS = {
    "/incidents/restricted": {
        "get": {
            "summary": "The restricted incidents the caller may see, newest first",
            "operationId": "listRestrictedIncidents",
            "description": NEED_TO_KNOW,
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {
                            "items": {"type": "array", "items": _ref("IncidentSummary")}
                        },
                    }
                ),
                **_errors("401", "403"),
            },
        }
    },
    "/incidents/{incident_id}/members/{username}": {
        "put": {
            "summary": "Let a user see a restricted incident",
            "operationId": "addIncidentMember",
            "description": NEED_TO_KNOW,
            "parameters": [_ID, _USERNAME],
            "responses": {**_INCIDENT, **_errors("400", "401", "403", "404", "422")},
        },
        "delete": {
            "summary": "Take a user off a restricted incident's members",
            "operationId": "removeIncidentMember",
            "parameters": [_ID, _USERNAME],
            "responses": {**_INCIDENT, **_errors("401", "403", "404")},
        },
    },
}
