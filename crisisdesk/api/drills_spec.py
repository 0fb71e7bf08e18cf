"""OpenAPI description of drills: start, read, pause, resume, bring forward, end."""

from ..drills.service import PARTICIPANTS_MAX
from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref, page_of

_ID = {"name": "drill_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_RULES = (
    "A drill rehearses a script (`playbooks/drills/`) on the real desk: it opens its own "
    "incident (`drill: true`, led by the first on-call participant) and the worker releases "
    "the script's injects onto that incident's timeline at their minute of running drill "
    "(`drill_inject` events; a complaint wave as one event per post), each exactly once. A "
    "paused drill's clock stands still. A drill incident never reaches the public site and "
    "counts in no dashboard figure. Administrators and management run drills (`403` otherwise)."
)
_REPORT = (
    "Each objective's target, the time measured from the drill's events and met or missed; "
    "each inject that expected a reaction and how fast it came; legal's review times; the "
    "checklist; who held which role; the script's SHA-256 and the chain range. `events` holds "
    "the drill incident's events: the figures can be recomputed from them alone. Signing off "
    "records the SHA-256 of the figures and the chain range on the timeline, once."
)
_PROGRAMME = (
    "Each scenario of the library (`playbooks/drills/<scenario>.<de|en>.md`) with its planned "
    "date, its last ended drill and how many objectives that drill met, `overdue` when no "
    "drill of it ended in the last 365 days, `next_due` (the plan, else a year after the last "
    "drill), and per objective the measured minutes of the last five ended drills, oldest "
    "first (`minutes: null`: not reached during the drill). Exercise leads only."
)
SCHEMAS = {
    "DrillScenario": {
        "type": "object",
        "required": ["scenario", "title", "overdue", "trends"],
        "properties": {
            "scenario": {"type": "string"},
            "title": {"type": "string"},
            "planned": {"type": ["string", "null"], "format": "date"},
            "next_due": {"type": ["string", "null"], "format": "date"},
            "overdue": {"type": "boolean"},
            "last_drill": {"type": ["integer", "null"]},
            "last_ended_at": {"type": ["string", "null"], "format": "date-time"},
            "last_result": {"type": ["object", "null"]},
            "trends": {"type": "array", "items": {"type": "object"}},
        },
    },
    "DrillReport": {
        "type": "object",
        "required": ["drill", "script", "objectives", "reactions", "chain", "events"],
        "properties": {
            "drill": {"type": "integer"},
            "script": {"type": "object"},
            "objectives": {"type": "array", "items": {"type": "object"}},
            "reactions": {"type": "array", "items": {"type": "object"}},
            "chain": {"type": "object"},
            "events": {"type": "array", "items": {"type": "object"}},
            "signed_off": {"type": ["object", "null"]},
        },
    },
    "Drill": {
        "type": "object",
        "required": ["id", "incident_id", "script", "status", "announced", "participants"],
        "properties": {
            "id": {"type": "integer"},
            "incident_id": {"type": "integer"},
            "script": {"type": "string"},
            "status": {"type": "string", "enum": ["running", "paused", "ended"]},
            "announced": {"type": "boolean"},
            "participants": {"type": "array", "items": {"type": "string"}},
            "started_at": {"type": "string", "format": "date-time"},
            "ended_at": {"type": ["string", "null"], "format": "date-time"},
            "injects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string"},
                        "kind": {"type": "string"},
                        "minute": {"type": "number"},
                        "released": {"type": "boolean"},
                    },
                },
            },
        },
    },
}
_DRILL = {"200": _ok(_ref("Drill"))}
_EMPTY = _body({"type": "object", "additionalProperties": False}, required=False)


def _move(summary: str, operation: str) -> dict:
    return {
        "summary": summary,
        "operationId": operation,
        "description": _RULES,
        "parameters": [_ID],
        "requestBody": _EMPTY,
        "responses": {**_DRILL, **_errors("400", "401", "403", "404", "409", "422")},
    }


PATHS = {
    "/drills": {
        "post": {
            "summary": "Start a drill from a script",
            "operationId": "startDrill",
            "description": _RULES,
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["script"],
                    "properties": {
                        "script": {"type": "string"},
                        "participants": {
                            "type": "array",
                            "maxItems": PARTICIPANTS_MAX,
                            "items": {"type": "string"},
                        },
                        "announced": {"type": "boolean"},
                    },
                }
            ),
            "responses": {
                "201": _ok(_ref("Drill"), "Created"),
                **_errors("400", "401", "403", "422"),
            },
        },
        "get": {
            "summary": "Drills, newest first (exercise leads)",
            "operationId": "listDrills",
            "parameters": [
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                },
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {"200": _ok(page_of("Drill")), **_errors("401", "403", "422")},
        },
    },
    "/drills/programme": {
        "get": {
            "summary": "The yearly drill programme: plans, last results, overdue, trends",
            "operationId": "getDrillProgramme",
            "description": _PROGRAMME,
            "parameters": [
                {
                    "name": "language",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["de", "en"]},
                }
            ],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["scenarios"],
                        "properties": {
                            "scenarios": {"type": "array", "items": _ref("DrillScenario")}
                        },
                    }
                ),
                **_errors("401", "403", "422"),
            },
        }
    },
    "/drills/programme/{scenario}": {
        "put": {
            "summary": "Plan a scenario's next exercise (null: take it off the plan)",
            "operationId": "planDrillScenario",
            "description": _PROGRAMME,
            "parameters": [
                {"name": "scenario", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["due_on"],
                    "properties": {"due_on": {"type": ["string", "null"], "format": "date"}},
                }
            ),
            "responses": {
                "200": _ok(_ref("DrillScenario")),
                **_errors("400", "401", "403", "422"),
            },
        }
    },
    "/drills/{drill_id}": {
        "get": {
            "summary": "A drill and which injects are out",
            "operationId": "getDrill",
            "parameters": [_ID],
            "responses": {**_DRILL, **_errors("401", "403", "404")},
        }
    },
    "/drills/{drill_id}/pause": {"post": _move("Pause a drill: its injects wait", "pauseDrill")},
    "/drills/{drill_id}/resume": {"post": _move("Resume a paused drill", "resumeDrill")},
    "/drills/{drill_id}/end": {"post": _move("End a drill", "endDrill")},
    "/drills/{drill_id}/fast-forward": {
        "post": _move("Release the next inject now", "fastForwardDrill")
    },
    "/drills/{drill_id}/report": {
        "get": {
            "summary": "The exercise report and the events its figures come from",
            "operationId": "getDrillReport",
            "description": _REPORT,
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("DrillReport")), **_errors("401", "403", "404")},
        }
    },
    "/drills/{drill_id}/sign-off": {
        "post": {
            "summary": "Sign off the ended drill's report (its exercise lead or an admin)",
            "operationId": "signOffDrillReport",
            "description": _REPORT,
            "parameters": [_ID],
            "requestBody": _EMPTY,
            "responses": {
                "200": _ok(_ref("DrillReport")),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        }
    },
}
