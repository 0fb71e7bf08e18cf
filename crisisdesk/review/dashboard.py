"""The management dashboard: live incidents with overdue steps, trends by month, action items, audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, render_template, request
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

from .. import clock
from ..accounts.permissions import require_role
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.queries import next_due, overdue_counts
from ..library.store import get_library
from ..readcache import remembered
from ..responses.models import Response, Review
from ..shared_parts import TimedPart, fill_token, render_shared
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


def _seconds(later, earlier):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _trend(durations) -> list[Trend]:
    """Per-month count, median and p90 (nearest rank), ranked in the database: two rows per month come back."""
    ranked = select(
        durations.c.month,
        durations.c.seconds,
        func.row_number()
        .over(partition_by=durations.c.month, order_by=durations.c.seconds)
        .label("rank"),
        func.count().over(partition_by=durations.c.month).label("n"),
    ).subquery()
    median_rank, p90_rank = (
        (ranked.c.n + 1) // 2,
        (ranked.c.n * 9 + 9) // 10,
    )  # // is integer division
    rows = db.session.execute(
        select(ranked.c.month, ranked.c.n, ranked.c.rank, ranked.c.seconds).where(
            or_(ranked.c.rank == median_rank, ranked.c.rank == p90_rank)
        )
    ).all()
    months: dict[str, dict] = {}
    for month, count, rank, seconds in rows:
        entry = months.setdefault(month, {"n": int(count)})
        if rank == (count + 1) // 2:
            entry["median"] = int(round(seconds))
        if rank == (count * 9 + 9) // 10:
            entry["p90"] = int(round(seconds))
    return [
        Trend(month, entry["n"], entry.get("median"), entry.get("p90"))
        for month, entry in sorted(months.items())
    ]


def summary(days: int, playbook: str = "", since: datetime | None = None) -> dict:
    """Aggregates over the period in grouped and ranked queries: never a row per incident in Python."""
    since = since or clock.now() - timedelta(days=days)
    scope = [Incident.opened_at >= since] + (
        [Incident.playbook_slug == playbook] if playbook else []
    )
    by_severity = dict(
        db.session.execute(
            select(Incident.severity, func.count()).where(*scope).group_by(Incident.severity)
        ).all()
    )
    by_playbook = db.session.execute(
        select(Incident.playbook_slug, func.count())
        .where(*scope)
        .group_by(Incident.playbook_slug)
        .order_by(func.count().desc())
        .limit(15)
    ).all()
    first = (
        select(
            Incident.opened_at.label("opened_at"), func.min(Response.published_at).label("first")
        )
        .join(Response, Response.incident_id == Incident.id)
        .where(*scope, Response.published_at.is_not(None))
        .group_by(Incident.id, Incident.opened_at)
        .subquery()
    )
    statements = select(
        _month(first.c.opened_at).label("month"),
        _seconds(first.c.first, first.c.opened_at).label("seconds"),
    ).subquery()
    # start from the incidents in the period (an index range), not from every review ever made
    reviews = (
        select(
            _month(Review.at).label("month"),
            _seconds(Review.at, Review.submitted_at).label("seconds"),
        )
        .select_from(Incident)
        .join(Response, Response.incident_id == Incident.id)
        .join(Review, Review.response_id == Response.id)
        .where(*scope, Review.submitted_at.is_not(None))
        .subquery()
    )
    return {
        "by_severity": by_severity,
        "by_playbook": [tuple(row) for row in by_playbook],
        "first_statement": _trend(statements),
        "legal_review": _trend(reviews),
        "total": sum(by_severity.values()),
    }


@bp.get("/dashboard")
@login_required
def index():
    """Management's view of the desk."""
    require_role(current_user, "management", "admin")
    period = request.args.get("period", "90d") if request.args.get("period") in PERIODS else "90d"
    playbooks = sorted(get_library().playbooks)
    playbook = request.args.get("playbook", "")
    playbook = playbook if playbook in playbooks else ""
    now = clock.now()
    # Everything below the audit line is the same for every manager: rendered once per change of the
    # desk, the period's start (by the minute, so the day too), the library, the language and the zone, and
    # again when the next escalation step of a live incident falls due (the overdue badges).
    since = (now - timedelta(days=PERIODS[period])).replace(second=0, microsecond=0)
    key = (
        "dashboard",
        period,
        playbook,
        since,
        tuple(playbooks),
        str(get_locale()),
        str(get_timezone()),
    )
    part = remembered(
        key,
        lambda: _shared_part(period, playbook, playbooks, since, now),
        fresh=lambda kept: kept.fresh(clock.now()),
    )
    return render_template(
        "review/dashboard.html",
        part=fill_token(part.html),
        audit=last_audit(),
        verify_form=FlaskForm(),
    )


def audit_failure_message(report: dict) -> str:
    """The sentence the verify button flashes when a check failed."""
    check = report.get("failed_check")
    if check == "records":
        return _(
            "The records differ from the timeline: %(table)s #%(row)s %(field)s (%(problem)s, event %(seq)s).",
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


def _shared_part(
    period: str, playbook: str, playbooks: list[str], since: datetime, now: datetime
) -> TimedPart:
    live = list(
        db.session.scalars(
            select(Incident)
            .where(Incident.status.in_(("open", "monitoring")))
            .order_by(Incident.severity, Incident.opened_at)
            .limit(50)
        )
    )
    actions = db.session.execute(
        select(ActionItem, Incident.ref)
        .join(Incident, Incident.id == ActionItem.incident_id)
        .where(ActionItem.status == "open")
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date)
        .limit(100)
    ).all()
    ids = [incident.id for incident in live]
    html = render_shared(
        "review/_dashboard.html",
        live=live,
        overdue=overdue_counts(ids),
        data=summary(PERIODS[period], playbook, since),
        period=period,
        playbook=playbook,
        playbooks=playbooks,
        actions=actions,
        today=now.date(),
    )
    return TimedPart(html, next_due(ids))
