"""The room's buttons: acknowledge, assign, take over, status, severity, checklist, note, link,
need to know and its members.

Each view reads the form and calls one service, which checks permission before the input, so a
caller who may not act is refused (403) whatever they sent. CSRF is checked for every form post
by CSRFProtect; a fetch() that asks for JSON gets `{"message"}` or the API's error envelope.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError, wants_json
from ..web import show_error
from . import entries, escalation, restriction, roles, service

bp = Blueprint("incident_actions", __name__, url_prefix="/incidents/<int:incident_id>")


@bp.before_request
@login_required
def _signed_in():
    """Room buttons need a signed-in user; the services decide who may press which."""


def _act(incident_id: int, anchor: str, call: Callable[[], object], message) -> object:
    """Run one service call; answer a fetch() with JSON, a form post with a redirect to the room.

    `message` is the success text, or a function of the call's result that gives it.
    """
    try:
        result = call()
    except DomainError as exc:
        if wants_json():
            raise  # errors.py answers with the JSON error envelope
        show_error(None, exc)  # 403 and 404 become error pages; the rest is flashed
        return redirect(url_for("room.show", incident_id=incident_id) + anchor)
    text = message(result) if callable(message) else message
    if wants_json():
        return jsonify({"message": text})
    flash(text, "success")
    return redirect(url_for("room.show", incident_id=incident_id) + anchor)


def _field(name: str) -> str:
    return request.form.get(name, "")


@bp.post("/steps/<int:step_id>/ack")
def acknowledge(incident_id: int, step_id: int):
    """Acknowledge an escalation step."""
    return _act(
        incident_id,
        "#now",
        lambda: escalation.acknowledge(incident_id, step_id, actor=current_user),
        _("Step acknowledged."),
    )


@bp.post("/checklist/<item_key>")
def checklist(incident_id: int, item_key: str):
    """Tick or untick a checklist item."""
    # ticked on the room's "what to do now" card: back there, to the next open item
    return _act(
        incident_id,
        "#now" if request.form.get("from") == "now" else "#checklist",
        lambda: entries.set_checklist_item(
            incident_id, item_key, _field("done") == "1", actor=current_user
        ),
        lambda item: _("Ticked.") if item.done else _("Unticked."),
    )


@bp.post("/status")
def status(incident_id: int):
    """Move the incident to another status."""
    return _act(
        incident_id,
        "#manage",
        lambda: service.update_incident(incident_id, actor=current_user, status=_field("status")),
        _("Status changed."),
    )


@bp.post("/severity")
def severity(incident_id: int):
    """Change the severity (the escalation plan follows)."""
    return _act(
        incident_id,
        "#manage",
        lambda: service.update_incident(
            incident_id, actor=current_user, severity=_field("severity")
        ),
        _("Severity changed; escalation re-planned."),
    )


@bp.post("/roles")
def assign(incident_id: int):
    """Give an incident role to someone."""
    return _act(
        incident_id,
        "#roles",
        lambda: roles.assign_role(incident_id, _field("role"), _field("user"), actor=current_user),
        _("Role assigned."),
    )


@bp.post("/lead")
def take_over(incident_id: int):
    """Take over the lead of the incident."""
    return _act(
        incident_id,
        "#roles",
        lambda: roles.take_over_lead(incident_id, actor=current_user, reason=_field("reason")),
        _("You now lead this incident."),
    )


@bp.post("/notes")
def note(incident_id: int):
    """Add a note to the timeline."""
    return _act(
        incident_id,
        "#timeline",
        lambda: entries.add_note(incident_id, _field("text"), actor=current_user),
        _("Note added."),
    )


@bp.post("/links")
def link(incident_id: int):
    """Attach a link to a post."""
    return _act(
        incident_id,
        "#links",
        lambda: entries.add_source_link(incident_id, _field("url"), actor=current_user),
        _("Link added."),
    )


@bp.post("/restriction")
def restrict(incident_id: int):
    """Make the incident need to know, or open it to every reader again, with the reason."""
    wanted = _field("restricted") == "1"
    return _act(
        incident_id,
        "#need-to-know",
        lambda: restriction.set_restricted(
            incident_id, wanted, _field("reason"), actor=current_user
        ),
        _("Only those who need to know see it now.") if wanted else _("Every reader sees it now."),
    )


@bp.post("/members")
def add_member(incident_id: int):
    """Let someone see the restricted incident."""
    return _act(
        incident_id,
        "#need-to-know",
        lambda: restriction.add_member(incident_id, _field("user"), actor=current_user),
        _("Member added."),
    )


@bp.post("/members/<username>/remove")
def remove_member(incident_id: int, username: str):
    """Take someone off the restricted incident's members."""
    return _act(
        incident_id,
        "#need-to-know",
        lambda: restriction.remove_member(incident_id, username, actor=current_user),
        _("Member removed."),
    )
