"""Managing webhooks, mail preferences and the bell (permission checks included)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import clock
from ..accounts.permissions import require_role
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from .models import Delivery, Webhook
from .webhooks import FORMATS, check_url

EVENT_KINDS = (
    "incident_opened",
    "severity_changed",
    "status_changed",
    "role_assigned",
    "lead_taken_over",
    "escalation_notified",
    "escalation_acknowledged",
    "checklist_done",
    "note_added",
    "response_drafted",
    "response_submitted",
    "response_approved",
    "response_rejected",
    "response_approval_lapsed",
    "response_published",
    "response_retracted",
    "update_reminder",
    "source_link_added",
)
REASON_MAX = 500  #: characters of a reason for cancelling held deliveries


def add_webhook(
    url: str,
    secret: str,
    *,
    actor=None,
    events=(),
    format: str = "json",
    restricted_events: bool = False,
) -> Webhook:
    """Register a webhook (admins; `actor=None` is the command line)."""
    begin_write()
    if actor is not None:
        require_role(actor, "admin")
    url = check_url(url)
    if not secret or len(secret) < 16 or len(secret) > 200:
        raise Invalid("weak_secret", _("The secret needs 16-200 characters."), field="secret")
    unknown = sorted(set(events) - set(EVENT_KINDS))
    if unknown:
        raise Invalid(
            "bad_event",
            _("Unknown event kind: %(kinds)s.", kinds=", ".join(unknown)),
            field="events",
        )
    if format not in FORMATS:
        raise Invalid("bad_format", _("Format is json, chat or teams."), field="format")
    hook = Webhook(
        url=url,
        secret=secret,
        events=json.dumps(sorted(set(events))),
        format=format,
        restricted_events=bool(restricted_events),
    )
    db.session.add(hook)
    db.session.flush()
    append_event(
        "webhook_added",
        actor=actor,
        data={
            "webhook": hook.id,
            "url": url,
            "events": sorted(set(events)),
            "format": format,
            "restricted_events": hook.restricted_events,
        },
    )
    db.session.commit()
    return hook


def set_webhook_active(hook_id: int, active: bool, *, actor) -> Webhook:
    """Pause a webhook (its queued deliveries are held) or resume it (they are due at once)."""
    begin_write()
    require_role(actor, "admin")
    hook = _webhook(hook_id)
    if hook.active != active:
        hook.active = active
        # the row first: a worker recording a failure waits for this pause, or sees it
        db.session.flush()
        if active:
            moved = _move(hook, "held", status="pending", next_attempt_at=clock.now())
            data = {"webhook": hook.id, "active": True, "released": moved}
        else:
            moved = _move(hook, "pending", status="held")
            data = {"webhook": hook.id, "active": False, "held": moved}
        append_event("webhook_changed", actor=actor, data=data)
    db.session.commit()
    return hook


def cancel_held_deliveries(hook_id: int, reason, *, actor) -> int:
    """Cancel a paused webhook's held deliveries, with the reason; return how many."""
    begin_write()
    require_role(actor, "admin")
    hook = _webhook(hook_id)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REASON_MAX:
        raise Invalid(
            "reason_required",
            _("Say why, in at most %(n)d characters.", n=REASON_MAX),
            field="reason",
        )
    count = _move(hook, "held", status="cancelled", cancel_reason=reason)
    if not count:
        raise Conflict("nothing_held", _("This webhook has no held deliveries."))
    append_event(
        "deliveries_cancelled",
        actor=actor,
        data={"webhook": hook.id, "count": count, "reason": reason},
    )
    db.session.commit()
    return count


def held_counts(*, actor) -> dict[int, int]:
    """How many deliveries each webhook holds, for admins."""
    require_role(actor, "admin")
    return dict(
        db.session.execute(
            select(Delivery.webhook_id, func.count())
            .where(Delivery.status == "held")
            .group_by(Delivery.webhook_id)
        ).all()
    )


def _webhook(hook_id) -> Webhook:
    hook = get_by_id(Webhook, hook_id)
    if hook is None:
        raise NotFound("unknown_webhook", _("There is no such webhook."))
    return hook


def _move(hook: Webhook, from_status: str, **values) -> int:
    return db.session.execute(
        update(Delivery)
        .where(Delivery.webhook_id == hook.id, Delivery.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount


def webhooks(*, actor) -> list[Webhook]:
    """Every webhook, for admins."""
    require_role(actor, "admin")
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


@dataclass
class WebhookOverview:
    """The admin's webhook page: every webhook, what each holds back, the latest failures."""

    hooks: list[Webhook]
    held: dict[int, int]
    failed: list[Delivery]


def webhook_overview(*, actor, failed_limit: int = 50) -> WebhookOverview:
    """Every webhook with its held deliveries and the latest failed ones, for admins."""
    require_role(actor, "admin")
    return WebhookOverview(
        webhooks(actor=actor),
        held_counts(actor=actor),
        deliveries(actor=actor, failed_only=True, limit=failed_limit),
    )


def webhook_log(hook_id, *, actor) -> tuple[Webhook, list[Delivery]]:
    """One webhook and its delivery log, newest first, for admins."""
    require_role(actor, "admin")
    hook = _webhook(hook_id)
    return hook, deliveries(actor=actor, webhook_id=hook.id)


def deliveries(
    *, actor, webhook_id: int | None = None, failed_only: bool = False, limit: int = 100
):
    """The delivery log, newest first."""
    require_role(actor, "admin")
    query = select(Delivery)
    if webhook_id is not None:
        query = query.where(Delivery.webhook_id == webhook_id)
    if failed_only:
        query = query.where(Delivery.status == "failed")
    return list(db.session.scalars(query.order_by(Delivery.id.desc()).limit(limit)))
