"""The library's Q&A sheets: read one, and legal signs its current version off."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import require_role
from ..errors import DomainError
from ..web import show_error
from . import service
from .forms import ApproveForm
from .store import get_library
from .views import bp


@bp.get("/qa/<slug>")
def qa(slug: str):
    """A Q&A sheet: its questions, approved answers, what not to say and who takes over."""
    sheet = service.get_qa(slug)
    return _qa_page(sheet, ApproveForm(formdata=None))


def _qa_page(sheet, approve, status: int = 200):
    library = get_library()
    return render_template(
        "library/qa.html",
        sheet=sheet,
        state=service.approval_state(sheet),
        approve=approve,
        twin=library.qa.get(sheet.twin or ""),
        playbooks=[library.playbooks[p] for p in sheet.playbooks if p in library.playbooks],
    ), status


@bp.post("/qa/<slug>/approve")
def approve_qa(slug: str):
    """Legal signs off the sheet's current version."""
    require_role(current_user, "legal")  # the wrong people learn nothing, not even what exists
    sheet = service.get_qa(slug)
    form = ApproveForm()
    from_queue = request.form.get("back") == "queue"  # signed in legal's queue: go back there
    if not form.validate_on_submit():
        if not from_queue:
            return _qa_page(sheet, form, 422)
        for message in form.review_by.errors:
            flash(message, "danger")
        return redirect(url_for(".review_queue"))
    try:
        approval = service.approve_qa(slug, actor=current_user, review_by=form.review_by.data)
    except DomainError as exc:
        show_error(None if from_queue else form, exc)
        if not from_queue:
            return _qa_page(sheet, form, exc.status)
    else:
        flash(_("Approved until %(date)s.", date=approval.review_by.isoformat()), "success")
    return redirect(url_for(".review_queue") if from_queue else url_for(".qa", slug=slug))
