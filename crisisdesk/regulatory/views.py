"""The regulatory page of an incident: assessment, clocks, reports made, drafts and evidence."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..errors import DomainError
from ..i18n import localtime
from ..web import local_moment, show_error
from . import evidence, report, service, submissions
from .criteria import CRITERIA, HELP, LABELS
from .forms import AssessmentForm, SubmissionForm, criteria_from

bp = Blueprint("regulatory", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Regulatory pages need a signed-in user; the services check the roles."""


def _assessment_form(view: service.View, formdata=None) -> AssessmentForm:
    """The form with the stored assessment; the reputational evidence starts from the desk's."""
    data = {
        "decision": view.decision or "",
        "reasons": view.reasons,
        "personal_data_breach": view.personal_data_breach,
        "aware_at": localtime(view.aware_at, "input") if formdata is None else None,
    }
    for name in CRITERIA:
        data[f"met_{name}"] = view.criteria[name]["met"]
        data[f"value_{name}"] = view.criteria[name]["value"]
        data[f"evidence_{name}"] = view.criteria[name]["evidence"]
    desk = service.desk_evidence(view.incident)
    if not data["evidence_reputational"] and (desk.source_links or desk.published):
        data["evidence_reputational"] = service.reputational_summary(desk)
    return AssessmentForm(formdata=formdata, data=data)


def _form_field(field: str | None) -> str | None:
    """The form field a service error names (criteria.clients.value → value_clients)."""
    if field and field.startswith("criteria."):
        _prefix, name, *rest = field.split(".")
        return f"{rest[0] if rest else 'met'}_{name}"
    return field


def _page(incident_id, assessment_form=None, submission_form=None, status=200):
    view = service.assessment_of(incident_id, actor=current_user)
    return render_template(
        "regulatory/page.html",
        view=view,
        incident=view.incident,
        form=assessment_form or _assessment_form(view),
        submission_form=submission_form or SubmissionForm(),
        clocks=submissions.clocks_of(incident_id, actor=current_user),
        made=submissions.submissions_of(view.incident.id),
        desk=service.desk_evidence(view.incident),
        can_assess=service.can_assess(current_user),
        criteria=[(name, LABELS[name], HELP[name]) for name in CRITERIA],
        report_kinds=report.REPORT_KINDS,
    ), status


@bp.get("/incidents/<int:incident_id>/regulatory")
def show(incident_id: int):
    """Assessment, clocks and reports of one incident."""
    return _page(incident_id)


@bp.post("/incidents/<int:incident_id>/regulatory")
def assess(incident_id: int):
    """Save the assessment (compliance, management, administrators)."""
    view = service.assessment_of(incident_id, actor=current_user)
    service.require_assessor(current_user)
    form = _assessment_form(view, formdata=request.form)
    if not form.validate_on_submit():
        return _page(incident_id, assessment_form=form, status=422)
    # the field shows whole minutes: the time as shown is the time unchanged, seconds and all
    shown = localtime(view.aware_at, "input")
    aware_at = form.aware_at.data if form.aware_at.data != shown else None
    try:
        service.update_assessment(
            incident_id,
            actor=current_user,
            criteria=criteria_from(form),
            decision=form.decision.data or None,
            reasons=form.reasons.data or "",
            personal_data_breach=bool(form.personal_data_breach.data),
            aware_at=local_moment(aware_at, "aware_at", current_user.timezone),
            aware_reason=form.aware_reason.data or "",
        )
    except DomainError as exc:
        exc.field = _form_field(exc.field)
        show_error(form, exc)
        return _page(incident_id, assessment_form=form, status=exc.status)
    flash(_("The assessment is saved."), "success")
    return redirect(url_for(".show", incident_id=incident_id))


@bp.post("/incidents/<int:incident_id>/regulatory/submissions")
def record(incident_id: int):
    """Record a report made to an authority."""
    service.assessment_of(incident_id, actor=current_user)
    service.require_assessor(current_user)
    form = SubmissionForm()
    if not form.validate_on_submit():
        return _page(incident_id, submission_form=form, status=422)
    try:
        submissions.record_submission(
            incident_id,
            actor=current_user,
            kind=form.kind.data,
            submitted_at=local_moment(
                form.submitted_at.data, "submitted_at", current_user.timezone
            ),
            reference=form.reference.data,
            text=form.text.data,
            late_reason=form.late_reason.data,
        )
    except DomainError as exc:
        show_error(form, exc)
        return _page(incident_id, submission_form=form, status=exc.status)
    flash(_("The report is recorded."), "success")
    return redirect(url_for(".show", incident_id=incident_id) + "#made")


@bp.get("/incidents/<int:incident_id>/regulatory/report")
def draft(incident_id: int):
    """A print page of a DORA report's fields, marked as a draft."""
    kind = request.args.get("kind", "initial")
    try:
        fields = report.report_draft(incident_id, kind, actor=current_user)
    except DomainError as exc:
        if exc.status != 422:
            raise
        return redirect(url_for(".draft", incident_id=incident_id, kind="initial"))
    view = service.assessment_of(incident_id, actor=current_user)
    return render_template(
        "regulatory/report.html", incident=view.incident, draft=fields, now=clock.now()
    )


@bp.get("/incidents/<int:incident_id>/regulatory/evidence.zip")
def evidence_pack(incident_id: int):
    """The evidence pack for the supervisor."""
    name, data = evidence.evidence_pack(incident_id, actor=current_user)
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
