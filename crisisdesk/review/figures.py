"""The dashboard's figures: live incidents, trends by month, response and review times, actions.

Queries only; the dashboard view (review/dashboard.py) keeps them as a shared part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from .. import clock
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import OPEN_ONLY
from ..incidents.queries import overdue_counts
from ..responses.models import Response, Review
from .models import ActionItem

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
    """Per-month count, median and p90 (nearest rank), ranked in the database.

    Two rows per month come back.
    """
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
    """Aggregates over the period in grouped and ranked queries.

    Never a row per incident in Python.
    """
    since = since or clock.now() - timedelta(days=days)
    # restricted (need-to-know) incidents are counted apart, never in a list or a breakdown
    # drills rehearse; they never enter the real figures
    scope = [Incident.opened_at >= since, OPEN_ONLY, Incident.drill.is_(False)] + (
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


def dashboard_context(period: str, playbook: str, today: date) -> dict:
    """Live incidents, overdue counts, figures of the period and open action items."""
    live = list(
        db.session.scalars(
            select(Incident)
            .where(
                Incident.status.in_(("open", "monitoring")), OPEN_ONLY, Incident.drill.is_(False)
            )
            .order_by(Incident.severity, Incident.opened_at)
            .limit(50)
        )
    )
    actions = db.session.execute(
        select(ActionItem, Incident.ref)
        .join(Incident, Incident.id == ActionItem.incident_id)
        .where(ActionItem.status == "open", OPEN_ONLY)
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date)
        .limit(100)
    ).all()
    since = datetime.combine(today - timedelta(days=PERIODS[period]), time.min, tzinfo=UTC)
    return {
        "live": live,
        "overdue": overdue_counts([incident.id for incident in live]),
        "data": summary(PERIODS[period], playbook, since),
        "actions": actions,
        "restricted_live": db.session.scalar(
            select(func.count())
            .select_from(Incident)
            .where(Incident.status.in_(("open", "monitoring")), Incident.restricted.is_(True))
        ),
    }
