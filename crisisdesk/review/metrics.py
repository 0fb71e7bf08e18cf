"""Communication metrics computed from an incident's
timeline events alone (so an auditor can recompute them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from statistics import median


@dataclass(frozen=True)
class Ev:
    kind: str
    at: datetime
    data: dict


def from_rows(events) -> list[Ev]:
    """Plain events from TimelineEvent rows."""
    return [Ev(e.kind, e.at, json.loads(e.data)) for e in events]


def _moment(text: str | None, fallback: datetime) -> datetime:
    if not text:
        return fallback
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return fallback


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    return None if start is None or end is None else int((end - start).total_seconds())


def compute(events: list[Ev], now: datetime, cadence_minutes: dict[int, int] | None = None) -> dict:
    """Every post-mortem metric, in seconds where it
    is a duration (None where it has not happened).
    """
    opened = next((e for e in events if e.kind == "incident_opened"), None)
    if opened is None:
        return {}
    start = opened.at
    end = next(
        (
            e.at
            for e in reversed(events)
            if e.kind == "status_changed" and e.data.get("after") == "closed"
        ),
        now,
    )
    acks = [e for e in events if e.kind == "escalation_acknowledged"]
    publications = sorted(
        _moment(e.data.get("published_at"), e.at) for e in events if e.kind == "response_published"
    )
    reviews = _review_times(events)
    overdue, on_time = _escalation_adherence(events, end)
    status_time, severity_time = (
        _time_per(events, start, end, "status_changed", "open"),
        _time_per(events, start, end, "severity_changed", opened.data.get("severity")),
    )
    gap = _longest_gap(start, publications, end)
    return {
        "time_to_first_ack_s": _seconds(start, acks[0].at) if acks else None,
        "time_to_first_publication_s": _seconds(start, publications[0]) if publications else None,
        "median_legal_review_s": int(median(reviews)) if reviews else None,
        "max_legal_review_s": max(reviews) if reviews else None,
        "responses_published": len(publications),
        "responses_rejected": sum(1 for e in events if e.kind == "response_rejected"),
        "responses_revised": sum(1 for e in events if e.kind == "response_revised"),
        "escalations_on_time": on_time,
        "escalations_overdue": overdue,
        "longest_update_gap_s": gap,
        "update_cadence_target_s": _cadence_target(events, opened, cadence_minutes),
        "time_per_status_s": status_time,
        "time_per_severity_s": {str(k): v for k, v in severity_time.items()},
        "duration_s": _seconds(start, end),
    }


def _review_times(events: list[Ev]) -> list[int]:
    submitted: dict[int, datetime] = {}
    times = []
    for e in events:
        response = e.data.get("response")
        if e.kind == "response_submitted":
            submitted[response] = e.at
        elif e.kind in ("response_approved", "response_rejected") and response in submitted:
            times.append(_seconds(submitted.pop(response), e.at))
    return times


def _escalation_adherence(events: list[Ev], end: datetime) -> tuple[int, int]:
    """Acknowledged late, or due and never acknowledged → overdue;
    acknowledged by the due time → on time.
    """
    acked = {e.data.get("step"): e for e in events if e.kind == "escalation_acknowledged"}
    due = {
        e.data.get("step"): _moment(e.data.get("due_at"), e.at)
        for e in events
        if e.kind == "escalation_notified"
    }
    on_time = sum(1 for e in acked.values() if not e.data.get("late_s"))
    overdue = sum(1 for e in acked.values() if e.data.get("late_s"))
    overdue += sum(1 for step, at in due.items() if step not in acked and at <= end)
    return overdue, on_time


def _time_per(events: list[Ev], start: datetime, end: datetime, kind: str, first) -> dict:
    totals: dict = {}
    current, since = first, start
    for e in events:
        if e.kind == kind and e.at <= end:
            totals[current] = totals.get(current, 0) + _seconds(since, e.at)
            current, since = e.data.get("after"), e.at
    totals[current] = totals.get(current, 0) + max(0, _seconds(since, end))
    return totals


def _longest_gap(start: datetime, publications: list[datetime], end: datetime) -> int:
    points = [start, *[p for p in publications if start <= p <= end], end]
    return (
        max(_seconds(a, b) for a, b in zip(points, points[1:], strict=False))
        if len(points) > 1
        else 0
    )


def _cadence_target(
    events: list[Ev], opened: Ev, cadence_minutes: dict[int, int] | None
) -> int | None:
    if not cadence_minutes:
        return None
    severities = [opened.data.get("severity")] + [
        e.data.get("after") for e in events if e.kind == "severity_changed"
    ]
    minutes = [cadence_minutes.get(s) for s in severities if cadence_minutes.get(s)]
    return min(minutes) * 60 if minutes else None
