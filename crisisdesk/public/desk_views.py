"""The room's buttons for the public notice: show the reference, end it or put it live again."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..web import show_error
from .notices import change_notice, require_notice_keeper

bp = Blueprint("public_notice", __name__, url_prefix="/incidents/<int:incident_id>")
MESSAGES = {
    ("show_ref", True): lambda: _("The public notice shows the reference now."),
    ("show_ref", False): lambda: _("The public notice no longer shows the reference."),
    ("ended", True): lambda: _("The public notice has ended: it is off the index."),
    ("ended", False): lambda: _("The public notice is live again."),
}


@bp.before_request
@login_required
def _signed_in():
    """The buttons need a signed-in user; the service decides who may press them."""


@bp.post("/public-notice")
def change(incident_id: int):
    """Change one of the notice's settings (the form names which, and its new value)."""
    key = (request.form.get("change", ""), request.form.get("value", "") == "1")
    room = url_for("room.show", incident_id=incident_id) + "#public-notice"
    try:
        if key not in MESSAGES:
            require_notice_keeper(incident_id, actor=current_user)  # who asks comes first
            flash(_("Choose what to change."), "danger")
            return redirect(room)
        change_notice(incident_id, actor=current_user, **{key[0]: key[1]})
    except DomainError as exc:
        show_error(None, exc)  # 403 and 404 become error pages; the rest is flashed
        return redirect(room)
    flash(MESSAGES[key](), "success")
    return redirect(room)
