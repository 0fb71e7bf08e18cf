"""Post-mortem edits, action items and chain verification, with their permission checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write, get_by_id
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import db
from ..incidents import validation
from ..incidents.queries import get_incident
from ..library.service import playbook_of_version
from ..timeline import append_event
from ..timeline.models import TimelineEvent
from . import metrics
from .models import ActionItem, Postmortem

TEXT_FIELDS = ("summary", "went_well", "went_badly", "lessons")
ACTIONS_MAX = 50


def postmortem_of(incident_id: int) -> Postmortem | None:
    """The incident's post-mortem, if one was written."""
    return get_by_id(Postmortem, incident_id)


def has_summary(incident_id: int) -> bool:
    """Whether the incident has a post-mortem summary (closing needs one)."""
    postmortem = postmortem_of(incident_id)
    return bool(postmortem and postmortem.summary.strip())


def require_summary_to_close(incident) -> None:
    """Refuse closing an incident whose post-mortem has no summary (a close check)."""
    if not has_summary(incident.id):
        raise Conflict(
            "needs_postmortem",
            _("Write the post-mortem summary before closing the incident."),
            field="status",
        )


def actions_of(incident_id: int) -> list[ActionItem]:
    """The incident's action items, in order."""
    return list(
        db.session.scalars(
            select(ActionItem).where(ActionItem.incident_id == incident_id).order_by(ActionItem.id)
        )
    )


def can_edit_postmortem(actor, incident) -> bool:
    """The incident's lead, management and administrators write the post-mortem."""
    return actor.has_role("management", "admin") or incident.lead_id == actor.id


def update_postmortem(incident_id, *, actor, actions=None, **texts) -> Postmortem:
    """Set summary, what went well/badly, lessons and the action items (lead, management, admin).

    Fields not given keep their stored text; a closed incident's summary can never be emptied.
    """
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    if not can_edit_postmortem(actor, incident):
        raise Forbidden(
            "not_editor",
            _("Only the incident's lead, management or an administrator can edit the post-mortem."),
        )
    unknown = sorted(set(texts) - set(TEXT_FIELDS))
    if unknown:
        raise Invalid(
            "unknown_field", _("Unknown field: %(field)s.", field=unknown[0]), field=unknown[0]
        )
    cleaned = {
        key: validation.text(value, key, 20_000)
        for key, value in texts.items()
        if value is not None
    }
    items = _clean_actions(actions) if actions is not None else None
    postmortem = postmortem_of(incident.id)
    _keep_summary_of_closed(
        incident, cleaned.get("summary", postmortem.summary if postmortem else "")
    )
    postmortem = postmortem or Postmortem(incident_id=incident.id, updated_by_id=actor.id)
    db.session.add(postmortem)
    for key, value in cleaned.items():
        setattr(postmortem, key, value)
    postmortem.updated_at, postmortem.updated_by_id = clock.now(), actor.id
    if items is not None:
        _replace_actions(incident.id, items)
    append_event(
        "postmortem_updated",
        actor=actor,
        incident_id=incident.id,
        data={
            **cleaned,
            "actions": [
                {k: (v.isoformat() if isinstance(v, date) else v) for k, v in item.items()}
                for item in items
            ]
            if items is not None
            else None,
        },
    )
    db.session.commit()
    return postmortem


def _keep_summary_of_closed(incident, summary: str | None) -> None:
    # closing needed the summary; the record it closed with must keep one
    if incident.status == "closed" and not (summary or "").strip():
        raise Conflict(
            "summary_required",
            _("A closed incident's post-mortem needs a summary."),
            field="summary",
        )


def _clean_actions(actions) -> list[dict]:
    if not isinstance(actions, list) or len(actions) > ACTIONS_MAX:
        raise Invalid(
            "bad_actions",
            _("actions must be a list of at most %(n)d items.", n=ACTIONS_MAX),
            field="actions",
        )
    cleaned = []
    for index, item in enumerate(actions):
        field = f"actions.{index}"
        if not isinstance(item, dict) or set(item) - {"text", "owner", "due", "status"}:
            raise Invalid(
                "bad_action", _("Each action has text, owner, due and status."), field=field
            )
        due = item.get("due")
        try:
            due = date.fromisoformat(due) if isinstance(due, str) and due else None
        except ValueError:
            raise Invalid(
                "bad_due", _("due must be a date (YYYY-MM-DD)."), field=f"{field}.due"
            ) from None
        if item.get("due") not in (None, "") and due is None:
            raise Invalid("bad_due", _("due must be a date (YYYY-MM-DD)."), field=f"{field}.due")
        status = item.get("status") or "open"
        if status not in ("open", "done"):
            raise Invalid("bad_status", _("status is open or done."), field=f"{field}.status")
        cleaned.append(
            {
                "text": validation.text(item.get("text"), f"{field}.text", 2000, required=True),
                "owner": validation.text(item.get("owner"), f"{field}.owner", 120),
                "due": due,
                "status": status,
            }
        )
    return cleaned


def _replace_actions(incident_id: int, items: list[dict]) -> None:
    existing = actions_of(incident_id)
    for index, item in enumerate(items):
        row = existing[index] if index < len(existing) else ActionItem(incident_id=incident_id)
        was_done = row.status == "done"
        row.text, row.owner, row.due_date, row.status = (
            item["text"],
            item["owner"],
            item["due"],
            item["status"],
        )
        row.done_at = (
            (row.done_at or clock.now())
            if item["status"] == "done" and not was_done
            else (row.done_at if item["status"] == "done" else None)
        )
        db.session.add(row)
    for row in existing[len(items) :]:
        db.session.delete(row)


#: the only event kinds metrics and the chart read; notes and ticks (most of a long incident)
#: are skipped
METRIC_KINDS = (
    "incident_opened",
    "escalation_notified",
    "escalation_acknowledged",
    "response_submitted",
    "response_approved",
    "response_rejected",
    "response_revised",
    "response_published",
    "status_changed",
    "severity_changed",
)


def metric_events(incident) -> list[metrics.Ev]:
    """The incident's events that metrics and the chart are computed from.

    They come as plain (kind, at, data).
    """
    # Plain rows, decoded once: a long incident has thousands of these and both metrics and chart
    # read them.
    return metrics.from_rows(
        db.session.execute(
            select(TimelineEvent.kind, TimelineEvent.at, TimelineEvent.data)
            .where(TimelineEvent.incident_id == incident.id, TimelineEvent.kind.in_(METRIC_KINDS))
            .order_by(TimelineEvent.seq)
        )
    )


def incident_metrics(incident, events: list[metrics.Ev] | None = None) -> dict:
    """The incident's metrics, from its timeline alone, with the playbook's cadence as target."""
    events = metric_events(incident) if events is None else events
    playbook = playbook_of_version(incident.playbook_version)
    return metrics.compute(
        events, clock.now(), playbook.update_cadence_minutes if playbook else None
    )


@dataclass(frozen=True)
class Running:
    """A duration an open incident is still adding to.

    `before_s` already counted, plus the time since `since`, and at least `at_least_s`; the page
    shows it as "since <time>" and the browser counts.
    """

    since: datetime
    before_s: int = 0
    at_least_s: int = 0


def page_metrics(incident, events: list[metrics.Ev]) -> dict:
    """The metrics as the post-mortem page shows them, from the timeline alone, never the clock.

    A closed incident's are final. An open incident's are taken up to its last event; what still
    runs (its duration, the current status and severity, the current gap between public updates)
    becomes a Running. Steps count as overdue once the worker notified them (an event).
    """
    playbook = playbook_of_version(incident.playbook_version)
    cadence = playbook.update_cadence_minutes if playbook else None
    last = max((e.at for e in events), default=incident.opened_at)
    figures = metrics.compute(events, last, cadence)
    if not figures or incident.status == "closed":
        return figures
    opened = next(e for e in events if e.kind == "incident_opened")
    start = opened.at
    figures["duration_s"] = Running(start)
    for kind, key, first in (
        ("status_changed", "time_per_status_s", "open"),
        ("severity_changed", "time_per_severity_s", opened.data.get("severity")),
    ):
        changes = [e for e in events if e.kind == kind]
        current = str(changes[-1].data.get("after")) if changes else str(first)
        changed_at = changes[-1].at if changes else start
        # compute() counted the current stretch up to the last event: keep what came before it
        counted = {str(k): v for k, v in figures[key].items()}
        before = counted.get(current, 0) - int((last - changed_at).total_seconds())
        figures[key] = {**counted, current: Running(changed_at, max(before, 0))}
    published = sorted(
        metrics._moment(e.data.get("published_at"), e.at)
        for e in events
        if e.kind == "response_published"
    )
    points = [start, *[p for p in published if p >= start]]
    gaps = zip(points, points[1:], strict=False)  # consecutive pairs
    longest = max((int((b - a).total_seconds()) for a, b in gaps), default=0)
    figures["longest_update_gap_s"] = Running(points[-1], at_least_s=longest)
    return figures
