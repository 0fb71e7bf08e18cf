"""The board, opening an incident, and the incident room (with its live timeline)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import clock
from ..errors import DomainError
from ..library.store import get_library
from ..readcache import remembered
from ..shared_parts import TimedPart, fill_token
from ..web import local_moment, options, plain_int, show_error
from . import queries, service
from .forms import OpenIncidentForm
from .models import STATUSES
from .permissions import can_open, require_opener, require_reader
from .room import render_room

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
    # Everyone refreshing the board in a storm sees the same list: render it once per change of the
    # desk, language and zone, and again when the next escalation step falls due (the overdue badges).
    key = (
        "board",
        str(get_locale()),
        str(get_timezone()),
        filters.status,
        filters.severity,
        filters.q,
        tuple(after or ()),
    )
    board_list = remembered(
        key, lambda: _board_list(filters, after), fresh=lambda kept: kept.fresh(clock.now())
    )
    return render_template(
        "incidents/board.html",
        filters=filters,
        board_list=board_list.html,
        can_open=can_open(current_user),
    )


def _board_list(filters: queries.Filters, after) -> TimedPart:
    incidents = queries.board(filters, after, BOARD_PAGE, actor=current_user)
    more = len(incidents) > BOARD_PAGE
    incidents = incidents[:BOARD_PAGE]
    next_after = None
    if more:
        last = incidents[-1]
        next_after = f"{last.status_rank}-{last.severity}-{round(last.opened_at.timestamp() * 1_000_000)}-{last.id}"
    ids = [incident.id for incident in incidents]
    html = render_template(
        "incidents/_board_list.html",
        incidents=incidents,
        filters=filters,
        next_after=next_after,
        overdue=queries.overdue_counts(ids),
    )
    return TimedPart(Markup(html), queries.next_due(ids))


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


def _open_form() -> OpenIncidentForm:
    form = OpenIncidentForm()
    language = str(current_user.language)
    playbooks = sorted(
        get_library().playbooks.values(), key=lambda p: (p.language != language, p.title.casefold())
    )
    form.playbook.choices = options(
        [("", _("— choose —"))] + [(p.slug, f"{p.title} ({p.language.upper()})") for p in playbooks]
    )
    return form


@bp.route("/incidents/new", methods=["GET", "POST"])
def new():
    """Open an incident in under a minute."""
    require_opener(current_user)
    form = _open_form()
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
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            return redirect(url_for(".room", incident_id=incident.id))
    elif form.is_submitted():
        status = 422
    return render_template("incidents/new.html", form=form), status


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


@bp.get("/incidents/<int:incident_id>")
def room(incident_id: int):
    """The incident room: state, next step with countdown, checklist, roles, guidance, live timeline."""
    require_reader(current_user)
    before = request.args.get("before", "")
    before_seq = plain_int(before)
    # The whole team refreshes the room in a storm: render its shared part once per change of the desk,
    # language, zone and page, and again when the clock changes what it says.
    key = ("room", incident_id, before_seq, bool(before), str(get_locale()), str(get_timezone()))
    part = remembered(
        key,
        lambda: render_room(incident_id, before_seq, bool(before)),
        fresh=lambda kept: kept.fresh(clock.now()),
    )
    return render_template(
        "incidents/room.html", ref=part.ref, room=fill_token(part.for_reader(current_user))
    )


@bp.get("/incidents/<int:incident_id>/events")
def events_since(incident_id: int):
    """Timeline entries after ?after=<seq>, newest first, as HTML for the room's live refresh."""
    incident = queries.get_incident(incident_id, actor=current_user)
    after = request.args.get("after", "")
    events = queries.events(incident, after_seq=plain_int(after) or 0, limit=50, newest_first=True)
    response = render_template("incidents/_events.html", events=events)
    headers = {
        "X-Last-Seq": str(max((e.seq for e in events), default=plain_int(after) or 0)),
        "Cache-Control": "no-store",
    }
    return response, 200, headers
