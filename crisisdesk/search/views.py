"""The search page and "have we said this before?" for a draft."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..errors import DomainError
from ..incidents.queries import get_incident
from ..parsing import plain_int
from . import service
from .forms import SearchForm

bp = Blueprint("search", __name__)

PAGE = 20


@bp.before_request
@login_required
def _signed_in():
    """Search needs a signed-in user; the service checks the role and what each may see."""


@bp.get("/search")
def index():
    """Everything said in the incidents the reader may see, best matches first, 20 a page."""
    service.require_searcher(current_user)
    form = SearchForm(request.args)
    start = plain_int(request.args.get("start", "0")) or 0
    hits, status = None, 200
    if form.q.data:
        try:
            hits = service.search(
                form.q.data, actor=current_user, limit=PAGE + 1, offset=max(start, 0)
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.q.errors, status = [exc.message], 422
    more = hits is not None and len(hits) > PAGE
    return render_template(
        "search/index.html",
        form=form,
        hits=hits[:PAGE] if hits else hits,
        start=max(start, 0),
        next_start=start + PAGE if more and start + PAGE <= service.MAX_OFFSET else None,
    ), status


@bp.get("/incidents/<int:incident_id>/said-before")
def said_before(incident_id: int):
    """Published texts from other incidents like the words given, newest first."""
    incident = get_incident(incident_id, actor=current_user)
    form = SearchForm(request.args)
    hits, status = None, 200
    if form.q.data:
        try:
            hits = service.said_before(incident.id, form.q.data, actor=current_user)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.q.errors, status = [exc.message], 422
    return render_template(
        "search/said_before.html", form=form, incident=incident, hits=hits
    ), status
