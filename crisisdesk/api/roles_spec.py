"""OpenAPI description of incident roles: assigning them by the rule table, taking over the lead."""

from ..incidents.roles import REASON_MAX, ROLE_RULES, rule_table
from .incidents_spec import _ID, _INCIDENT, _WRITE_ERRORS, _body


def _role_rules_text() -> str:
    """The rule table of incident roles as Markdown, made from roles.ROLE_RULES itself."""
    return "\n".join(
        [
            "Give an incident role to an active user. Who may hold each role (user roles) and who "
            "may assign it:",
            "",
            *rule_table(),
            "",
            "Assigning to someone who may not hold the role: `422` naming `user`. Not allowed to "
            "assign: `403` (reason `not_assigner`); assigning `lead` to yourself when you neither "
            "lead nor administer: `403` (reason `use_take_over`) — use "
            "`POST /incidents/{incident_id}/lead`. A closed incident: `409` (reason `closed`).",
        ]
    )


PATHS = {
    "/incidents/{incident_id}/roles/{role}": {
        "put": {
            "summary": "Assign an incident role",
            "operationId": "assignRole",
            "description": _role_rules_text(),
            "parameters": [
                _ID,
                {
                    "name": "role",
                    "in": "path",
                    "required": True,
                    "schema": {
                        "type": "string",
                        "enum": [
                            "lead",
                            "spokesperson",
                            "legal_reviewer",
                            "management_sponsor",
                            "scribe",
                        ],
                    },
                },
            ],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["user"],
                    "additionalProperties": False,
                    "properties": {"user": {"type": "string"}},
                }
            ),
            "responses": {**_INCIDENT, **_WRITE_ERRORS},
        }
    },
    "/incidents/{incident_id}/lead": {
        "post": {
            "summary": "Take over the lead (role oncall or admin)",
            "operationId": "takeOverLead",
            "description": (
                "Make yourself the incident's lead, logged as `lead_taken_over` with the previous "
                "lead and the reason. Who may: "
                + ", ".join(ROLE_RULES["lead"].holders)
                + ", lead or not. Already the lead or the incident is closed: `409`."
            ),
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"reason": {"type": ["string", "null"], "maxLength": REASON_MAX}},
                },
                required=False,
            ),
            "responses": {**_INCIDENT, **_WRITE_ERRORS},
        }
    },
}
