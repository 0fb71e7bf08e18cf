"""OpenAPI description of the regulatory endpoints: assessment, clocks, reports, evidence."""

from ..regulatory.clocks import KINDS as CLOCK_KINDS
from ..regulatory.criteria import CRITERIA
from ..regulatory.report import REPORT_KINDS
from ..regulatory.service import DECISIONS, EVIDENCE_MAX, REASONS_MAX, VALUE_MAX
from ..regulatory.submissions import KINDS as SUBMISSION_KINDS
from ..regulatory.submissions import REFERENCE_MAX, TEXT_MAX
from .incidents_spec import _body
from .library_spec import _errors, _ok, _ref

_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_TIME = {"type": "string", "format": "date-time"}
_NULL_TIME = {"type": ["string", "null"], "format": "date-time"}
_NULL_STR = {"type": ["string", "null"]}
_CRITERION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "met": {"type": "boolean"},
        "value": {"type": "string", "maxLength": VALUE_MAX},
        "evidence": {"type": "string", "maxLength": EVIDENCE_MAX},
    },
}
_DECISION = {"type": ["string", "null"], "enum": [*DECISIONS, None]}
_CLOCK = {
    "type": "object",
    "required": ["kind", "due_at", "met_at", "status"],
    "properties": {
        "kind": {"type": "string", "enum": list(CLOCK_KINDS)},
        "due_at": _TIME,
        "met_at": _NULL_TIME,
        "status": {"type": "string", "enum": ["running", "met", "overdue", "stopped"]},
    },
}
_ASSESSMENT_RULES = (
    "Compliance, management and administrators write; every reader of the incident reads. "
    "Fields not sent keep their value. A decision needs `reasons`; `major` and `not_major` must "
    "agree with the criteria (DORA, Delegated Regulation (EU) 2024/1772 Art. 8: critical "
    "services and either a malicious access or two other thresholds), else `422` "
    "(reason `contradicts_criteria`) — `proposal` says what the criteria give. Changing "
    "`aware_at` needs `aware_reason`. Classifying major starts the DORA clocks; a major "
    "incident assessed otherwise later is reclassified (its DORA clocks stop). "
    "`personal_data_breach` starts the GDPR Art. 33 clock and adds an Art. 34 checklist item."
)

SCHEMAS = {
    "Assessment": {
        "type": "object",
        "required": ["criteria", "decision", "reasons", "rule", "personal_data_breach"],
        "properties": {
            "incident_id": {"type": "integer"},
            "criteria": {
                "type": "object",
                "properties": {name: _CRITERION for name in CRITERIA},
            },
            "decision": _DECISION,
            "reasons": {"type": "string"},
            "rule": _NULL_STR,
            "decided_by": _NULL_STR,
            "decided_at": _NULL_TIME,
            "personal_data_breach": {"type": "boolean"},
            "aware_at": _TIME,
            "aware_reason": {"type": "string"},
            "major_since": _NULL_TIME,
            "reclassified_at": _NULL_TIME,
            "proposal": {
                "type": "object",
                "properties": {
                    "decision": {"type": "string", "enum": ["major", "not_major"]},
                    "rule": _NULL_STR,
                },
            },
        },
    },
    "Clock": _CLOCK,
    "Submission": {
        "type": "object",
        "required": ["id", "kind", "submitted_at"],
        "properties": {
            "id": {"type": "integer"},
            "incident_id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(SUBMISSION_KINDS)},
            "submitted_at": _TIME,
            "reference": {"type": "string"},
            "text": {"type": "string"},
            "late_reason": {"type": "string"},
            "recorded_by": {"type": "string"},
            "recorded_at": _TIME,
        },
    },
}

PATHS = {
    "/incidents/{incident_id}/assessment": {
        "get": {
            "summary": "DORA classification and GDPR breach assessment",
            "operationId": "getAssessment",
            "parameters": [_ID],
            "responses": {"200": _ok(_ref("Assessment")), **_errors("401", "403", "404")},
        },
        "put": {
            "summary": "Assess: criteria, decision with reasons, breach, awareness time",
            "operationId": "putAssessment",
            "description": _ASSESSMENT_RULES,
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "criteria": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {name: _CRITERION for name in CRITERIA},
                        },
                        "decision": _DECISION,
                        "reasons": {"type": "string", "maxLength": REASONS_MAX},
                        "personal_data_breach": {"type": "boolean"},
                        "aware_at": _TIME,
                        "aware_reason": {"type": "string", "maxLength": REASONS_MAX},
                    },
                }
            ),
            "responses": {
                "200": _ok(_ref("Assessment")),
                **_errors("400", "401", "403", "404", "422"),
            },
        },
    },
    "/incidents/{incident_id}/clocks": {
        "get": {
            "summary": "The incident's regulatory clocks",
            "operationId": "getClocks",
            "parameters": [_ID],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("Clock")}},
                    }
                ),
                **_errors("401", "403", "404"),
            },
        }
    },
    "/incidents/{incident_id}/submissions": {
        "get": {
            "summary": "Reports recorded as made to authorities",
            "operationId": "listSubmissions",
            "parameters": [_ID],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ref("Submission")}},
                    }
                ),
                **_errors("401", "403", "404"),
            },
        },
        "post": {
            "summary": "Record a report made to an authority (the desk does not submit)",
            "operationId": "recordSubmission",
            "description": (
                "Compliance, management and administrators. Stops the report's clock and starts "
                "the next. A DORA report needs a major classification (`409` `not_major`), the "
                "intermediate the initial and the final an intermediate (`409` `out_of_order`); "
                "`gdpr_art33` needs the breach flag (`409` `no_breach`). A report made after its "
                "due time needs `late_reason` (`422` `late_reason_required`)."
            ),
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string", "enum": list(SUBMISSION_KINDS)},
                        "submitted_at": _TIME,
                        "reference": {"type": "string", "maxLength": REFERENCE_MAX},
                        "text": {"type": "string", "maxLength": TEXT_MAX},
                        "late_reason": {"type": "string", "maxLength": REASONS_MAX},
                    },
                }
            ),
            "responses": {
                "201": _ok(_ref("Submission"), "Recorded"),
                **_errors("400", "401", "403", "404", "409", "422"),
            },
        },
    },
    "/incidents/{incident_id}/report-draft": {
        "get": {
            "summary": "Draft of a DORA report's fields (Implementing Regulation (EU) 2025/302)",
            "operationId": "getReportDraft",
            "parameters": [
                _ID,
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(REPORT_KINDS)},
                },
            ],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["kind", "draft", "fields", "to_fill"],
                        "properties": {
                            "kind": {"type": "string"},
                            "draft": {"type": "boolean"},
                            "drill": {"type": "boolean"},
                            "notice": {"type": "string"},
                            "incident_id": {"type": "integer"},
                            "fields": {"type": "object"},
                            "to_fill": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                ),
                **_errors("401", "403", "404", "422"),
            },
        }
    },
    "/incidents/{incident_id}/evidence-pack": {
        "get": {
            "summary": "Evidence for the supervisor: evidence.json and evidence.md in a zip",
            "operationId": "getEvidencePack",
            "parameters": [_ID],
            "responses": {
                "200": {
                    "description": "A zip file",
                    "content": {
                        "application/zip": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                **_errors("401", "403", "404"),
            },
        }
    },
    "/clocks": {
        "get": {
            "summary": "Running and overdue clocks of every incident, soonest first",
            "operationId": "listClocks",
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": {
                                    "allOf": [
                                        _CLOCK,
                                        {
                                            "type": "object",
                                            "properties": {
                                                "incident_id": {"type": "integer"},
                                                "ref": {"type": "string"},
                                            },
                                        },
                                    ]
                                },
                            }
                        },
                    }
                ),
                **_errors("401", "403"),
            },
        }
    },
}
