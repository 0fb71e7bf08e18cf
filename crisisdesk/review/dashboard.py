"""The management dashboard: live incidents with overdue steps, trends by month, action items, audit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from statistics import median, quantiles

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from .. import clock
from ..accounts.permissions import require_role
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.queries import overdue_counts
from ..library.store import get_library
from ..responses.models import Response, Review
from .models import ActionItem
from .service import last_audit

bp = Blueprint("dashboard", __name__)
PERIODS = {"90d": 90, "12m": 365}


@dataclass
class Trend:
    month: str
    count: int
    median_s: int | None
    p90_s: int | None


def _trend(rows) -> list[Trend]:
    """(month, seconds) rows → per-month median and p90."""
    months: dict[str, list[int]] = {}
    for month, seconds in rows:
        months.setdefault(month, []).append(seconds)
    result = []
    for month in sorted(months):
        values = sorted(months[month])
        p90 = quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]
        result.append(Trend(month, len(values), int(median(values)), int(p90)))
    return result


def summary(days: int, playbook: str = "") -> dict:
    """Aggregates over the period: one grouped query each, never every event."""
    since = clock.now() - timedelta(days=days)
    scope = [Incident.opened_at >= since] + ([Incident.playbook_slug == playbook] if playbook else [])
    by_severity = dict(db.session.execute(select(Incident.severity, func.count()).where(*scope)
                                          .group_by(Incident.severity)).all())
    by_playbook = db.session.execute(select(Incident.playbook_slug, func.count()).where(*scope)
                                     .group_by(Incident.playbook_slug).order_by(func.count().desc()).limit(15)).all()
    first = (select(Incident.id, Incident.opened_at, func.min(Response.published_at).label("first"))
             .join(Response, Response.incident_id == Incident.id).where(*scope, Response.published_at.is_not(None))
             .group_by(Incident.id, Incident.opened_at))
    statement_rows = [(opened.strftime("%Y-%m"), int((first_at - opened).total_seconds()))
                      for _id, opened, first_at in db.session.execute(first).all()]
    review_rows = [(at.strftime("%Y-%m"), int((at - submitted).total_seconds()))
                   for at, submitted in db.session.execute(
                       select(Review.at, Review.submitted_at).join(Response, Response.id == Review.response_id)
                       .join(Incident, Incident.id == Response.incident_id)
                       .where(*scope, Review.submitted_at.is_not(None))).all()]
    return {"by_severity": by_severity, "by_playbook": by_playbook, "first_statement": _trend(statement_rows),
            "legal_review": _trend(review_rows), "total": sum(by_severity.values())}


@bp.get("/dashboard")
@login_required
def index():
    """Management's view of the desk."""
    require_role(current_user, "management", "admin")
    period = request.args.get("period", "90d") if request.args.get("period") in PERIODS else "90d"
    playbook = request.args.get("playbook", "")
    playbook = playbook if playbook in get_library().playbooks else ""
    live = list(db.session.scalars(select(Incident).where(Incident.status.in_(("open", "monitoring")))
                                   .order_by(Incident.severity, Incident.opened_at).limit(50)))
    actions = db.session.execute(select(ActionItem, Incident.ref).join(Incident, Incident.id == ActionItem.incident_id)
                                 .where(ActionItem.status == "open")
                                 .order_by(ActionItem.due_date.is_(None), ActionItem.due_date).limit(100)).all()
    return render_template("review/dashboard.html", live=live, overdue=overdue_counts([i.id for i in live]),
                           data=summary(PERIODS[period], playbook), period=period, playbook=playbook,
                           playbooks=sorted(get_library().playbooks), actions=actions, audit=last_audit(),
                           today=clock.now().date(), verify_form=FlaskForm())
