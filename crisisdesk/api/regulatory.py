"""Regulatory endpoints: the DORA/GDPR assessment, its clocks, reports made, drafts, evidence."""

from __future__ import annotations

from flask import Response, jsonify, request

from ..regulatory import evidence, report, service, submissions
from ..regulatory.criteria import CRITERIA
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import iso


def assessment_json(view: service.View) -> dict:
    """An assessment as the API shows it, with what the rule proposes."""
    proposal = view.proposal
    return {
        "incident_id": view.incident.id,
        "criteria": {name: view.criteria[name] for name in CRITERIA},
        "decision": view.decision,
        "reasons": view.reasons,
        "rule": view.rule,
        "decided_by": view.decided_by.username if view.decided_by else None,
        "decided_at": iso(view.decided_at),
        "personal_data_breach": view.personal_data_breach,
        "aware_at": iso(view.aware_at),
        "aware_reason": view.aware_reason,
        "major_since": iso(view.major_since),
        "reclassified_at": iso(view.reclassified_at),
        "proposal": {"decision": proposal.decision, "rule": proposal.rule},
    }


def clock_json(clock) -> dict:
    """One regulatory clock."""
    return {
        "kind": clock.kind,
        "due_at": iso(clock.due_at),
        "met_at": iso(clock.met_at),
        "status": clock.status,
    }


def submission_json(row) -> dict:
    """One report the bank recorded as made."""
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "kind": row.kind,
        "submitted_at": iso(row.submitted_at),
        "reference": row.reference,
        "text": row.text,
        "late_reason": row.late_reason,
        "recorded_by": row.recorded_by.username,
        "recorded_at": iso(row.recorded_at),
    }


@bp.get("/incidents/<int:incident_id>/assessment")
def get_assessment(incident_id: int):
    """The incident's DORA/GDPR assessment (readers of the incident)."""
    return jsonify(assessment_json(service.assessment_of(incident_id, actor=actor())))


@bp.put("/incidents/<int:incident_id>/assessment")
def put_assessment(incident_id: int):
    """Change criteria, decision, reasons, breach flag, awareness (compliance, management…)."""
    body = only_fields(json_body(), set(service.FIELDS), nullable=frozenset({"decision"}))
    return jsonify(assessment_json(service.update_assessment(incident_id, actor=actor(), **body)))


@bp.get("/incidents/<int:incident_id>/clocks")
def get_clocks(incident_id: int):
    """The incident's regulatory clocks."""
    items = submissions.clocks_of(incident_id, actor=actor())
    return jsonify({"items": [clock_json(c) for c in items]})


@bp.get("/incidents/<int:incident_id>/submissions")
def get_submissions(incident_id: int):
    """The reports recorded as made for the incident."""
    service.assessment_of(incident_id, actor=actor())  # the reader check
    return jsonify({"items": [submission_json(s) for s in submissions.submissions_of(incident_id)]})


@bp.post("/incidents/<int:incident_id>/submissions")
def post_submission(incident_id: int):
    """Record a report made to an authority (compliance, management, admin)."""
    body = only_fields(json_body(), {"kind", "submitted_at", "reference", "text", "late_reason"})
    row = submissions.record_submission(incident_id, actor=actor(), **body)
    return jsonify(submission_json(row)), 201


@bp.get("/incidents/<int:incident_id>/report-draft")
def get_report_draft(incident_id: int):
    """The fields of a DORA report the desk can fill, as a draft for the authority's portal."""
    kind = request.args.get("kind", "initial")
    return jsonify(report.report_draft(incident_id, kind, actor=actor()))


@bp.get("/incidents/<int:incident_id>/evidence-pack")
def get_evidence_pack(incident_id: int):
    """Assessment history, clocks, reports, media evidence and statements, as a zip."""
    name, data = evidence.evidence_pack(incident_id, actor=actor())
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/clocks")
def get_all_clocks():
    """Every running or overdue clock of the incidents the reader may see, soonest first."""
    pairs = submissions.running_clocks(actor=actor())
    return jsonify(
        {
            "items": [
                {"incident_id": incident.id, "ref": incident.ref, **clock_json(c)}
                for incident, c in pairs
            ]
        }
    )
