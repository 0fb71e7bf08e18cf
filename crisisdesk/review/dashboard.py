"""The management dashboard: live incidents, trends by month, action items, the audit.

The figures are queried in review/figures.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..accounts.permissions import require_role
from ..audit.runs import last_audit
from ..drills.programme import programme
from ..impersonation.cases import since as suspects_since
from ..impersonation.cases import takedown_by_platform
from ..library.store import get_library
from ..shared_parts import shared_part
from ..timeline.scopes import INCIDENTS, PEOPLE
from . import figures

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@login_required
def index():
    """Management's view of the desk."""
    require_role(current_user, "management", "admin")
    period = (
        request.args.get("period", "90d")
        if request.args.get("period") in figures.PERIODS
        else "90d"
    )
    playbooks = tuple(sorted(get_library().playbooks))
    playbook = request.args.get("playbook", "")
    playbook = playbook if playbook in playbooks else ""
    # the period starts at midnight (UTC) and action items are overdue by the day: both inputs of
    # the part, so it is rendered again once a day and never reads the clock itself
    today = clock.now().date()
    part = shared_part(
        "dashboard",
        "review/_dashboard.html",
        inputs={"period": period, "playbook": playbook, "playbooks": playbooks, "today": today},
        audience=frozenset(),
        scopes=(INCIDENTS, PEOPLE),
        context=lambda: figures.dashboard_context(period, playbook, today),
    )
    # the programme is read fresh: a handful of drills a year, and it moves with the date
    drills = programme(actor=current_user, language=str(current_user.language or "de"))
    # fakes of real incidents in the last year: a handful of rows, read fresh like the programme
    takedowns = takedown_by_platform(suspects_since(clock.now() - timedelta(days=365)))
    return render_template(
        "review/dashboard.html",
        part=part,
        audit=last_audit(),
        verify_form=FlaskForm(),
        drills=drills,
        takedowns=takedowns,
    )


def audit_failure_message(report: dict) -> str:
    """The sentence the verify button flashes when a check failed."""
    check = report.get("failed_check")
    if check == "records":
        return _(
            "The records differ from the timeline: %(table)s #%(row)s %(field)s "
            "(%(problem)s, event %(seq)s).",
            table=report["table"],
            row=report["row"] if report["row"] is not None else "?",
            field=report.get("field") or "",
            problem=report["problem"],
            seq=report["first_bad_event"] or "?",
        )
    if check == "triggers":
        return _(
            "Append-only triggers are missing: %(names)s.",
            names=", ".join(report["missing_triggers"]),
        )
    return _("The chain is broken at event %(seq)s.", seq=report["first_bad_event"])
