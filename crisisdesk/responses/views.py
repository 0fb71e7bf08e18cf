"""Response pages: draft, read with diff, act (submit,
review, publish, retract), legal's queue, what we said.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..channels import counted_length, limit, names, text_format
from ..errors import DomainError, wants_json
from ..incidents.queries import get_incident
from ..incidents.validation import load_channels
from ..library import service as library
from ..library.store import get_library
from ..markdown import render_markdown
from ..web import local_moment, plain_int, show_error
from . import preview_views, queries, service
from .draft_preview import preview_statement
from .forms import DraftForm, PublishForm, RetractForm, ReviewForm, ReviseForm, draft_values_form
from .sequencing import rule_broken_by

bp = Blueprint("responses", __name__)


@bp.before_request
def _signed_in_for_json():
    """A page's fetch() that lost its session gets a JSON 401, not the sign-in page."""
    if wants_json() and not current_user.is_authenticated:
        abort(401)


@bp.before_request
@login_required
def _signed_in():
    """Response pages need a signed-in user; services check the roles."""


bp.add_url_rule(
    "/incidents/<int:incident_id>/responses/preview",
    "preview",
    preview_views.preview,
    methods=["POST"],
)


@bp.route("/incidents/<int:incident_id>/responses/new", methods=["GET", "POST"])
def new(incident_id: int):
    """Choose a statement (the playbook's first) or free text, fill it in
    with a preview of the text as it will be posted, and draft the response.
    """
    incident = get_incident(incident_id, actor=current_user)
    service.require_writer(current_user, incident)
    slug = request.args.get("statement", "")
    statement = get_library().statements.get(slug) if slug else None
    if slug and statement is None:
        flash(_("There is no statement %(slug)s.", slug=slug[:100]), "danger")
    if statement is None and not request.args.get("free"):
        return _choose(incident)
    form = DraftForm(data={"channel": _default_channel(incident, statement)})
    if statement is not None:
        form.channel.choices = [c for c in form.channel.choices if c.value in statement.channels]
    placeholders = statement.placeholders if statement else []
    # a link may carry values the desk already knows (the takedown letter for a fake)
    prefill = request.args if any(p.name in request.args for p in placeholders) else None
    values = draft_values_form(placeholders, formdata=request.form or prefill)
    typed = {p.name: request.form.get(p.name, "") for p in placeholders}
    status = 200
    if form.validate_on_submit():
        try:
            response = service.draft_response(
                incident.id,
                actor=current_user,
                channel=form.channel.data,
                audience=None if statement else form.audience.data,
                statement=statement.slug if statement else None,
                values=typed if statement else None,
                body=None if statement else form.body.data,
                corrects=plain_int(request.args.get("corrects", "")),
            )
        except DomainError as exc:
            target = (
                getattr(values, exc.field.split(".", 1)[1], None)
                if exc.field and "." in exc.field
                else None
            )
            if target is not None:
                target.errors = [exc.message]
            else:
                show_error(form, exc)
            status = exc.status
        else:
            if response.draft_reason not in (
                None,
                "free_text",
            ):  # meant to be pre-approved: say why it is not
                flash(response.draft_message, "warning")
            return redirect(url_for(".show", response_id=response.id))
    elif form.is_submitted():
        status = 422
    # the same preview the page's script asks for while typing, here for the values sent
    preview = preview_statement(statement, form.channel.data, typed) if statement else None
    if preview is not None and status != 200:  # name every bad value, not only the first
        for name, message in preview.errors.items():
            if name in values and not values[name].errors:
                values[name].errors = [message]
    return render_template(
        "responses/new.html",
        incident=incident,
        statement=statement,
        form=form,
        values=values,
        state=library.approval_state(statement) if statement else None,
        preview=preview,
    ), status


def _default_channel(incident, statement) -> str | None:
    """The incident's first channel if the statement serves it, else the statement's first."""
    wanted = load_channels(incident.channels)[:1]
    served = statement.channels if statement else names()
    for channel in wanted + (statement.channels[:1] if statement else []):
        if channel in served:
            return channel
    return None


def _choose(incident):
    all_statements = sorted(get_library().statements.values(), key=lambda s: s.title.casefold())
    offered = [s for s in all_statements if s.slug in _playbook_statements(incident)]
    states = library.approval_states(all_statements)
    return render_template(
        "responses/choose.html",
        incident=incident,
        offered=offered,
        others=[s for s in all_statements if s not in offered],
        states=states,
    )


def _playbook_statements(incident) -> list[str]:
    playbook = get_library().playbooks.get(incident.playbook_slug)
    return playbook.statements if playbook else []


@bp.get("/responses/<int:response_id>")
def show(response_id: int):
    """A response: current text, diff, revisions, reviews, and what the user may do next."""
    response = service.get_response(response_id, actor=current_user)
    incident = get_incident(response.incident_id, actor=current_user)
    kind, base = queries.baseline(response, response.revision)
    body = response.current.body
    return render_template(
        "responses/show.html",
        response=response,
        incident=incident,
        rejection=queries.rejection(response),
        length=counted_length(response.channel, body),
        limit=limit(response.channel),
        # an HTML e-mail is pasted into the mail tool as HTML: the same sanitised rendering
        email_html=(
            str(render_markdown(body)) if text_format(response.channel) == "html_email" else None
        ),
        baseline_kind=kind,
        diff=queries.changed_words(base, response.current.body) if kind != "none" else [],
        revise=ReviseForm(data={"body": response.current.body}),
        review=ReviewForm(formdata=None),
        publish=PublishForm(formdata=None),
        retract=RetractForm(formdata=None),
        ahead_of_staff=(
            rule_broken_by(response, clock.now())
            if response.status in ("approved", "preapproved")
            else None
        ),
        now=clock.now(),
    )


def _act(response_id: int, form: FlaskForm, call, message: str, review: bool = False):
    # refuse the wrong people before reading their form; the rules are the service's
    response = service.get_response(response_id, actor=current_user)
    if review:
        service.require_reviewer(current_user, response)
    else:
        service.require_writer(current_user, get_incident(response.incident_id, actor=current_user))
    if form.validate_on_submit():
        try:
            call(form)
        except DomainError as exc:
            show_error(None, exc)  # 403/404 become error pages there
        else:
            flash(message, "success")
    else:
        flash(
            " ".join(m for errors in form.errors.values() for m in errors)
            or _("Please check the form."),
            "danger",
        )
    return redirect(url_for(".show", response_id=response_id))


@bp.post("/responses/<int:response_id>/revise")
def revise(response_id: int):
    """Save an edited text as a new revision."""
    return _act(
        response_id,
        ReviseForm(),
        lambda f: service.revise_response(response_id, f.body.data, actor=current_user),
        _("Saved as a new revision."),
    )


@bp.post("/responses/<int:response_id>/submit")
def submit(response_id: int):
    """Send the response to legal."""
    return _act(
        response_id,
        FlaskForm(),
        lambda f: service.submit_response(response_id, actor=current_user),
        _("Sent to legal for review."),
    )


@bp.post("/responses/<int:response_id>/approve")
def approve(response_id: int):
    """Legal approves the pending revision."""
    return _act(
        response_id,
        ReviewForm(),
        lambda f: service.approve_response(response_id, actor=current_user, comment=f.comment.data),
        _("Approved."),
        review=True,
    )


@bp.post("/responses/<int:response_id>/reject")
def reject(response_id: int):
    """Legal rejects the pending revision with a comment."""
    return _act(
        response_id,
        ReviewForm(),
        lambda f: service.reject_response(response_id, actor=current_user, comment=f.comment.data),
        _("Rejected."),
        review=True,
    )


@bp.post("/responses/<int:response_id>/publish")
def publish(response_id: int):
    """Record the publication."""
    return _act(
        response_id,
        PublishForm(),
        lambda f: service.publish_response(
            response_id,
            actor=current_user,
            url=f.url.data or None,
            published_at=local_moment(f.published_at.data, "published_at", current_user.timezone),
            internal_first_reason=f.internal_first_reason.data or None,
        ),
        _("Recorded as published."),
    )


@bp.post("/responses/<int:response_id>/retract")
def retract(response_id: int):
    """Record that a published response was taken down."""
    return _act(
        response_id,
        RetractForm(),
        lambda f: service.retract_response(response_id, f.reason.data, actor=current_user),
        _("Recorded as retracted."),
    )


@bp.get("/responses/review")
def review_queue():
    """Legal's queue: waiting responses, most severe and oldest first, with the waiting time."""
    return render_template(
        "responses/queue.html", entries=queries.review_queue(actor=current_user), now=clock.now()
    )


@bp.get("/incidents/<int:incident_id>/said")
def said(incident_id: int):
    """What we said so far: the exact published texts in order, printable."""
    incident = get_incident(incident_id, actor=current_user)
    return render_template(
        "responses/said.html", incident=incident, responses=queries.said_so_far(incident.id)
    )
