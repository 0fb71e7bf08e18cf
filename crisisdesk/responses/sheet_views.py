"""The printable service-centre sheet of an incident, and handing it out."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..errors import DomainError
from ..incidents.queries import get_incident
from ..web import show_error
from . import service_sheet
from .views import bp


@bp.get("/incidents/<int:incident_id>/service-sheet")
def service_sheet_page(incident_id: int):
    """The answers our own people may give now, marked where they changed since the last sheet."""
    incident = get_incident(incident_id, actor=current_user)
    return render_template(
        "responses/service_sheet.html",
        incident=incident,
        sheet=service_sheet.sheet_of(incident),
        now=clock.now(),
    )


@bp.post("/incidents/<int:incident_id>/service-sheet/issue")
def issue_service_sheet(incident_id: int):
    """Record that this sheet was handed out to the service centre and the branches."""
    try:
        service_sheet.issue_sheet(incident_id, actor=current_user)
    except DomainError as exc:
        show_error(None, exc)
    else:
        flash(_("Recorded as handed out. The next sheet marks what changes."), "success")
    return redirect(url_for(".service_sheet_page", incident_id=incident_id))
