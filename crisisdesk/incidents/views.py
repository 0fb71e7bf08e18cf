"""The board and opening an incident (the room is crisisdesk/room)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..library.store import get_library
from ..shared_parts import shared_part
from ..timeline.scopes import INCIDENTS, PEOPLE
from ..web import local_moment, options, show_error
from . import queries, service
from .forms import OpenIncidentForm
from .models import STATUSES
from .permissions import can_open, require_opener, require_reader

bp = Blueprint("incidents", __name__)
BOARD_PAGE = 25


@bp.before_request
@login_required
def _signed_in():
    """Every incident page needs a signed-in user; services check the roles."""


@bp.get("/")
def board():
    """Live incidents first, by severity then age, with overdue counts."""
    if not current_user.roles:
        return render_template("home.html")
    severity = request.args.get("severity", "")
    status = request.args.get("status", "")
    filters = queries.Filters(
        status=status if status in STATUSES else "",
        severity=int(severity) if severity in ("1", "2", "3", "4") else None,
        q=request.args.get("q", "")[:100],
    )
    after = _board_cursor(request.args.get("after", ""))
    require_reader(current_user)
    # everyone refreshing the board in a storm sees the same list: rendered once per change
    board_list = shared_part(
        "board",
        "incidents/_board_list.html",
        inputs={
            "status": filters.status,
            "severity": filters.severity,
            "q": filters.q,
            "after": tuple(after) if after else None,
        },
        audience=frozenset(),
        scopes=(INCIDENTS, PEOPLE),
        context=lambda: _board_context(filters, after),
    )
    return render_template(
        "incidents/board.html", board_list=board_list, can_open=can_open(current_user)
    )


def _board_context(filters: queries.Filters, after) -> dict:
    incidents = queries.board(filters, after, BOARD_PAGE)
    more = len(incidents) > BOARD_PAGE
    incidents = incidents[:BOARD_PAGE]
    next_after = None
    if more:
        last = incidents[-1]
        micros = round(last.opened_at.timestamp() * 1_000_000)
        next_after = f"{last.status_rank}-{last.severity}-{micros}-{last.id}"
    return {
        "incidents": incidents,
        "filters": filters,
        "next_after": next_after,
        "overdue": queries.overdue_counts([incident.id for incident in incidents]),
    }


def _board_cursor(raw: str):
    """Read the board's cursor: status rank, severity, opened_at in microseconds, id."""
    try:
        rank, severity, micros, incident_id = (int(part) for part in raw.split("-"))
        return [
            rank,
            severity,
            datetime.fromtimestamp(micros / 1_000_000, tz=UTC),
            incident_id,
        ]
    except (ValueError, OverflowError, OSError):
        return None


def _open_form() -> tuple[OpenIncidentForm, list]:
    """The opening form, and the playbooks in the order it offers them."""
    form = OpenIncidentForm()
    language = str(current_user.language)
    playbooks = sorted(
        get_library().playbooks.values(), key=lambda p: (p.language != language, p.title.casefold())
    )
    form.playbook.choices = options(
        [("", _("— choose —"))] + [(p.slug, f"{p.title} ({p.language.upper()})") for p in playbooks]
    )
    chosen = get_library().playbooks.get(request.args.get("playbook", ""))
    if chosen is not None and not form.is_submitted():  # opened from the playbook's page
        form.playbook.data = chosen.slug
        form.severity.data = str(chosen.default_severity)
    return form, playbooks


@bp.route("/incidents/new", methods=["GET", "POST"])
def new():
    """Open an incident in under a minute."""
    require_opener(current_user)
    form, playbooks = _open_form()
    status = 200
    if form.validate_on_submit():
        try:
            incident = service.open_incident(
                actor=current_user,
                title=form.title.data,
                summary=form.summary.data or "",
                severity=form.severity.data,
                playbook=form.playbook.data,
                channels=form.channels.data,
                source_links=[
                    line.strip()
                    for line in (form.source_links.data or "").splitlines()
                    if line.strip()
                ],
                detected_at=local_moment(
                    form.detected_at.data, "detected_at", current_user.timezone
                ),
                restricted=bool(form.restricted.data),
                restriction_reason=form.restriction_reason.data,
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            return redirect(url_for("room.show", incident_id=incident.id))
    elif form.is_submitted():
        status = 422
    return render_template("incidents/new.html", form=form, criteria=playbooks), status


@bp.get("/incidents/suggest")
def suggest():
    """Playbooks whose triggers match what the person typed (for the open form)."""
    text = request.args.get("text", "")[:2000]
    return jsonify(
        [
            {"slug": playbook.slug, "title": playbook.title, "language": playbook.language}
            for _score, playbook in queries.suggest_playbooks(text, current_user.language)
        ]
    )
