"""The library desk: browse, search, read playbooks, preview and sign off statements."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import require_any_role
from ..channels import label, names
from ..errors import DomainError
from ..web import show_error
from . import service, sign_off_queue
from .forms import ApproveForm, sign_off_form, values_form
from .placeholders import validate_each
from .preview import preview
from .store import get_library

bp = Blueprint("library", __name__, url_prefix="/library")


@bp.before_request
@login_required
def _members_only():
    require_any_role(current_user)


@bp.get("/")
def index():
    """List and search playbooks and statements."""
    q = request.args.get("q", "")[:200]
    language = (
        request.args.get("language", "") if request.args.get("language") in ("de", "en") else ""
    )
    channel = request.args.get("channel", "") if request.args.get("channel") in names() else ""
    playbooks, statements = service.search(q, language, channel)
    sheets = service.search_qa(q, language) if not channel else []
    return render_template(
        "library/index.html",
        playbooks=playbooks,
        statements=statements,
        sheets=sheets,
        states=service.approval_states([*statements, *sheets]),
        q=q,
        language=language,
        channel=channel,
        channels=[(c, label(c)) for c in names()],
        problems=get_library().problems,
    )


@bp.get("/playbooks/<slug>")
def playbook(slug: str):
    """Read a playbook: guidance, checklist, escalation per severity, statements."""
    item = service.get_playbook(slug)
    library = get_library()
    statements = [library.statements[s] for s in item.statements if s in library.statements]
    sheets = service.qa_for_playbook(slug)
    return render_template(
        "library/playbook.html",
        playbook=item,
        statements=statements,
        sheets=sheets,
        states=service.approval_states([*statements, *sheets]),
        twin=library.playbooks.get(item.twin or ""),
    )


@bp.get("/statements/<slug>")
def statement(slug: str):
    """Show a statement, its sign-off state, and a preview filled with the form's values."""
    item = service.get_statement(slug)
    return _statement_page(item, sign_off_form(item.placeholders, formdata=None))


def _statement_page(item, approve, status: int = 200):
    form = values_form(item.placeholders, formdata=request.args if request.args else None)
    rendered, errors = validate_each(item.placeholders, request.args, item.language)
    if request.args:
        for name, message in errors.items():
            getattr(form, name).errors = [message]
    previews = preview(item, rendered)
    return render_template(
        "library/statement.html",
        statement=item,
        form=form,
        previews=previews,
        state=service.approval_state(item),
        approve=approve,
        twin=get_library().statements.get(item.twin or ""),
    ), status


@bp.post("/statements/<slug>/approve")
def approve(slug: str):
    """Legal signs off the statement's current version,
    with the text placeholders it lets through.
    """
    item = service.get_statement(slug)
    form = sign_off_form(item.placeholders)
    from_queue = request.form.get("back") == "queue"
    if form.validate_on_submit():
        try:
            approval = service.approve_statement(
                slug,
                actor=current_user,
                review_by=form.review_by.data,
                free_placeholders=form.free_rules(),
            )
        except DomainError as exc:
            show_error(None if from_queue else form, exc)
            if exc.field and not from_queue:  # the form can fix it: show it there
                return _statement_page(item, form, exc.status)
        else:
            flash(_("Approved until %(date)s.", date=approval.review_by.isoformat()), "success")
    elif not from_queue:
        return _statement_page(item, form, 422)
    else:
        for message in form.review_by.errors:
            flash(message, "danger")
    return redirect(from_queue and url_for(".review_queue") or url_for(".statement", slug=slug))


@bp.get("/review")
def review_queue():
    """Legal's queue: statements unapproved, expired or
    expiring soon, with the diff to the last approval.
    """
    return render_template(
        "library/review.html",
        entries=sign_off_queue.review_queue(actor=current_user),
        approve=ApproveForm(formdata=None),
    )
