"""The drills page (exercise leads) and the room's drill buttons."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.service import all_users
from ..errors import DomainError
from ..library.store import get_library
from ..parsing import plain_int
from ..web import options, show_error
from . import programme as plans
from . import report as reports
from . import service
from .forms import PlanForm, StartDrillForm
from .report_text import report_markdown

bp = Blueprint("drills", __name__)
PAGE = 50
MOVES = {
    "pause": lambda: _("The drill is paused: its injects wait."),
    "resume": lambda: _("The drill runs again."),
    "end": lambda: _("The drill has ended."),
}


@bp.before_request
@login_required
def _signed_in():
    """Drill pages need a signed-in user; the services check that they lead exercises."""


@bp.route("/drills", methods=["GET", "POST"])
def index():
    """The drills run so far and the form that starts one."""
    before = plain_int(request.args.get("before", ""))
    drills = service.list_drills(actor=current_user, before_id=before, limit=PAGE + 1)
    older = drills[PAGE - 1].id if len(drills) > PAGE else None
    drills = drills[:PAGE]
    form = StartDrillForm()
    language = str(current_user.language or "de")
    form.script.choices = options(
        (script.slug, script.title)
        for script in sorted(get_library().drills.values(), key=lambda s: s.title)
        if script.language == language
    )
    form.participants.choices = options(
        (user.username, f"{user.display_name} ({user.username})")
        for user in all_users()
        if user.active and user.roles
    )
    status = 200
    if form.validate_on_submit():
        try:
            drill = service.start_drill(
                form.script.data,
                actor=current_user,
                participants=list(form.participants.data or []),
                announced=bool(form.announced.data),
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("The drill has started."), "success")
            return redirect(url_for("room.show", incident_id=drill.incident_id))
    elif form.is_submitted():
        status = 422
    page = {"drills": drills, "older": older, "form": form, "first": before is None}
    return render_template("drills/index.html", **page), status


@bp.route("/drills/programme", methods=["GET", "POST"])
def programme():
    """The yearly programme: each scenario's plan, last exercise, result and trend."""
    language = str(current_user.language or "de")
    form, status = PlanForm(), 200
    if form.validate_on_submit():
        try:
            day = plans.plan_scenario(form.scenario.data, form.due_on.data, actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("The plan is saved.") if day else _("The scenario is off the plan."), "success")
            return redirect(url_for(".programme"))
    elif form.is_submitted():
        status = 422
    scenarios = plans.programme(actor=current_user, language=language)
    page = {
        "scenarios": scenarios,
        "form": form,
        "failed": form.scenario.data if status != 200 else None,
    }
    return render_template("drills/programme.html", **page), status


@bp.post("/drills/<int:drill_id>/move")
def move(drill_id: int):
    """Pause, resume, end, or bring the next inject forward (from the room)."""
    wanted = request.form.get("move", "")
    try:
        drill = service.get_drill(drill_id, actor=current_user)  # who asks comes first
        room = url_for("room.show", incident_id=drill.incident_id) + "#drill"
        if wanted == "fast-forward":
            key = service.fast_forward(drill_id, actor=current_user)
            flash(_("Brought forward: %(k)s.", k=key) if key else _("Every inject is out."), "info")
        elif wanted in MOVES:
            service.set_state(drill_id, wanted, actor=current_user)
            flash(MOVES[wanted](), "success")
        else:
            flash(_("Choose what to do with the drill."), "danger")
    except DomainError as exc:
        show_error(None, exc)
        return redirect(url_for("drills.index"))
    return redirect(room)


@bp.get("/drills/<int:drill_id>/report")
def report(drill_id: int):
    """The exercise report: objectives, reactions, team, checklist, evidence (also printable)."""
    found = reports.exercise_report(drill_id, actor=current_user)
    return render_template("drills/report.html", report=found)


@bp.get("/drills/<int:drill_id>/report.md")
def report_file(drill_id: int):
    """The report as a Markdown file."""
    text = report_markdown(reports.exercise_report(drill_id, actor=current_user))
    headers = {"Content-Disposition": f'attachment; filename="drill-{drill_id}-report.md"'}
    return Response(text, mimetype="text/markdown", headers=headers)


@bp.post("/drills/<int:drill_id>/sign-off")
def sign_off(drill_id: int):
    """The exercise lead signs the ended drill's report."""
    try:
        reports.sign_off(drill_id, actor=current_user)
    except DomainError as exc:
        show_error(None, exc)
    else:
        flash(_("The exercise report is signed off."), "success")
    return redirect(url_for(".report", drill_id=drill_id))
