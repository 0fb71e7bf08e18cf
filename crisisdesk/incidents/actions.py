"""Buttons in the incident room: acknowledge, assign, take over lead, status, severity, checklist, note, link."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..errors import DomainError
from . import escalation, roles, service
from .forms import AssignForm, LinkForm, NoteForm, SeverityForm, StatusForm, TakeOverForm
from .permissions import require_responder
from .queries import get_incident

bp = Blueprint("incident_actions", __name__, url_prefix="/incidents/<int:incident_id>")
#: legal and management users assign their own kinds of incident role without being responders
OPEN_TO_READERS = ("incident_actions.acknowledge", "incident_actions.assign")


@bp.before_request
@login_required
def _responders_only():
    """Refuse non-responders before reading their form (the rule itself lives in the service layer)."""
    if request.endpoint not in OPEN_TO_READERS:
        incident_id = request.view_args["incident_id"]
        require_responder(current_user, get_incident(incident_id, actor=current_user))


def _done(incident_id: int, message: str, anchor: str = ""):
    """Answer a fetch() with JSON, a plain form post with a redirect back to the room."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": True, "message": message})
    flash(message, "success")
    return redirect(url_for("incidents.room", incident_id=incident_id) + anchor)


def _failed(incident_id: int, exc: DomainError, anchor: str = ""):
    if exc.status == 403 and request.accept_mimetypes.best != "application/json":
        raise exc
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": False, "message": exc.message}), exc.status
    flash(exc.message, "danger")
    return redirect(url_for("incidents.room", incident_id=incident_id) + anchor)


def _form_failed(incident_id: int, form: FlaskForm, anchor: str):
    messages = [message for errors in form.errors.values() for message in errors]
    flash(" ".join(messages) or _("Please check the form."), "danger")
    return redirect(url_for("incidents.room", incident_id=incident_id) + anchor)


@bp.post("/steps/<int:step_id>/ack")
def acknowledge(incident_id: int, step_id: int):
    """Acknowledge an escalation step."""
    if not FlaskForm().validate_on_submit():
        return _form_failed(incident_id, FlaskForm(), "#steps")
    try:
        escalation.acknowledge(incident_id, step_id, actor=current_user)
    except DomainError as exc:
        return _failed(incident_id, exc, "#steps")
    return _done(incident_id, _("Step acknowledged."), "#steps")


@bp.post("/checklist/<item_key>")
def checklist(incident_id: int, item_key: str):
    """Tick or untick a checklist item."""
    form = FlaskForm()
    if not form.validate_on_submit():
        return _form_failed(incident_id, form, "#checklist")
    try:
        item = service.set_checklist_item(
            incident_id, item_key, request.form.get("done") == "1", actor=current_user
        )
    except DomainError as exc:
        return _failed(incident_id, exc, "#checklist")
    return _done(incident_id, _("Ticked.") if item.done else _("Unticked."), "#checklist")


def _simple(incident_id: int, form: FlaskForm, anchor: str, call, message: str):
    if not form.validate_on_submit():
        return _form_failed(incident_id, form, anchor)
    try:
        call(form)
    except DomainError as exc:
        return _failed(incident_id, exc, anchor)
    return _done(incident_id, message, anchor)


@bp.post("/status")
def status(incident_id: int):
    """Move the incident to another status."""
    return _simple(
        incident_id,
        StatusForm(),
        "#manage",
        lambda f: service.update_incident(incident_id, actor=current_user, status=f.status.data),
        _("Status changed."),
    )


@bp.post("/severity")
def severity(incident_id: int):
    """Change the severity (the escalation plan follows)."""
    return _simple(
        incident_id,
        SeverityForm(),
        "#manage",
        lambda f: service.update_incident(
            incident_id, actor=current_user, severity=f.severity.data
        ),
        _("Severity changed; escalation re-planned."),
    )


@bp.post("/roles")
def assign(incident_id: int):
    """Give an incident role to someone."""
    return _simple(
        incident_id,
        AssignForm(),
        "#roles",
        lambda f: roles.assign_role(incident_id, f.role.data, f.user.data, actor=current_user),
        _("Role assigned."),
    )


@bp.post("/lead")
def take_over(incident_id: int):
    """Take over the lead of the incident."""
    return _simple(
        incident_id,
        TakeOverForm(),
        "#roles",
        lambda f: roles.take_over_lead(incident_id, actor=current_user, reason=f.reason.data),
        _("You now lead this incident."),
    )


@bp.post("/notes")
def note(incident_id: int):
    """Add a note to the timeline."""
    return _simple(
        incident_id,
        NoteForm(),
        "#timeline",
        lambda f: service.add_note(incident_id, f.text.data, actor=current_user),
        _("Note added."),
    )


@bp.post("/links")
def link(incident_id: int):
    """Attach a link to a post."""
    return _simple(
        incident_id,
        LinkForm(),
        "#links",
        lambda f: service.add_source_link(incident_id, f.url.data, actor=current_user),
        _("Link added."),
    )
