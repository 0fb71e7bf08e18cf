"""The worker: claims due steps, raises reminders, turns events into deliveries, and delivers them.

The timeline is the outbox: events are read by sequence after a stored cursor, and each
delivery has a unique key (event + channel + recipient). A crash between sending and
recording means the delivery is sent again after its lease expires (at least once);
receivers dedupe on the X-CrisisDesk-Delivery header.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, or_, select, update

from .. import clock, signals
from ..accounts.models import User
from ..audit.checkpoints import write_due_checkpoint
from ..database import begin_write, insert_ignore
from ..drills.service import release_due_injects
from ..extensions import db
from ..incidents.escalation import claim_due_steps
from ..incidents.escalation_rules import claim_next_rules, tell_handovers
from ..incidents.models import Incident
from ..library.service import record_expired_approvals
from ..mail import send_mail
from ..public.offline_schedule import refresh_offline_bundle_if_due
from ..public.refresh import refresh_site
from ..regulatory.reminders import raise_clock_reminders
from ..timeline.models import TimelineEvent
from . import mailer, reminders, webhooks
from .addresses import RefusedAddress
from .models import Delivery, Webhook, WorkerCursor
from .wakeup import Wakeup

log = logging.getLogger(__name__)
CURSOR = "notify"
#: deliveries to one webhook or one mail recipient per
#: round, so one destination cannot take every slot
PER_DESTINATION = 5


def tick() -> dict:
    """Do one round of everything; return counts (for logs and tests)."""
    counts = {"steps": len(claim_due_steps()), "reminders": reminders.raise_due_reminders()}
    counts["next_rules"] = claim_next_rules()
    counts["handovers"] = tell_handovers()
    counts["clock_reminders"] = raise_clock_reminders()
    record_expired_approvals()
    # released before the dispatch, so the participants hear of an inject in the same round
    counts["drill_injects"] = release_due_injects()
    counts["events"] = dispatch_events()
    counts["delivered"], counts["failed"] = deliver_due()
    counts["checkpoints"] = write_due_checkpoint()
    counts["public_site"] = refresh_site()
    counts["offline_bundle"] = refresh_offline_bundle_if_due()
    return counts


def dispatch_events(batch: int = 200) -> int:
    """Send the signals for events after the cursor;
    receivers queue deliveries in this transaction.
    """
    begin_write()
    # two workers starting at once must not both create the cursor row
    insert_ignore(WorkerCursor, "name", name=CURSOR, last_seq=0)
    cursor = db.session.execute(
        select(WorkerCursor)
        .where(WorkerCursor.name == CURSOR)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    events = db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.seq > cursor.last_seq)
        .order_by(TimelineEvent.seq)
        .limit(batch)
    ).all()
    app = current_app._get_current_object()
    for event in events:
        data = json.loads(event.data)
        incident = db.session.get(Incident, event.incident_id) if event.incident_id else None
        signals.event_committed.send(app, event=event, data=data, incident=incident)
        specific = signals.signal_for(event.kind, data)
        if specific is not None:
            specific.send(app, event=event, data=data, incident=incident)
    if events:
        cursor.last_seq = events[-1].seq
    db.session.commit()
    return len(events)


def lease() -> timedelta:
    """How long a 'sending' delivery is left alone before it is taken to have crashed."""
    return timedelta(seconds=float(current_app.config["DELIVERY_LEASE_SECONDS"]))


def deliver_due(limit: int = 50, per_destination: int = PER_DESTINATION) -> tuple[int, int]:
    """Send due deliveries, urgent ones first, a few
    per destination; return (sent, failed for good).

    After a destination fails, its other deliveries wait for the next round: they would most
    likely fail too, each after a full timeout, while other destinations wait behind them.
    """
    now = clock.now()
    due = _due(now, limit, per_destination)
    db.session.rollback()
    sent = failed = 0
    failing: set[tuple] = set()
    for delivery_id, destination in due:
        if destination in failing:
            continue
        delivery = _claim(delivery_id, now)
        if delivery is None:
            continue
        outcome = _send(delivery)
        if outcome == "sent":
            sent += 1
        elif outcome in ("failed", "retry"):
            failing.add(destination)
            if outcome == "failed":
                failed += 1
    return sent, failed


def _active_or_mail():
    """Deliveries by mail, or to a webhook that is not paused."""
    return or_(
        Delivery.webhook_id.is_(None),
        Delivery.webhook_id.in_(select(Webhook.id).where(Webhook.active.is_(True))),
    )


def _due(now, limit: int, per_destination: int) -> list[tuple[int, tuple]]:
    """(id, destination) of due deliveries: urgent
    first, then oldest, at most `per_destination` each.
    """
    destination = (Delivery.channel, Delivery.webhook_id, Delivery.user_id)
    rank = func.row_number().over(
        partition_by=destination, order_by=(Delivery.priority.desc(), Delivery.id)
    )
    ranked = (
        select(Delivery.id, Delivery.priority, *destination, rank.label("rank"))
        .where(
            or_(
                (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
                (Delivery.status == "sending") & (Delivery.claimed_at <= now - lease()),
            ),
            _active_or_mail(),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.id, ranked.c.channel, ranked.c.webhook_id, ranked.c.user_id)
        .where(ranked.c.rank <= per_destination)
        .order_by(ranked.c.priority.desc(), ranked.c.id)
        .limit(limit)
    ).all()
    return [(row.id, (row.channel, row.webhook_id, row.user_id)) for row in rows]


def _claim(delivery_id: int, now):
    begin_write()
    won = (
        db.session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                or_(
                    Delivery.status == "pending",
                    (Delivery.status == "sending") & (Delivery.claimed_at <= now - lease()),
                ),
                _active_or_mail(),
            )
            .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    db.session.commit()
    return db.session.get(Delivery, delivery_id) if won else None


def _send(delivery: Delivery) -> str:
    event = db.session.get(TimelineEvent, delivery.event_seq)
    incident = db.session.get(Incident, event.incident_id) if event.incident_id else None
    try:
        if delivery.channel == "mail":
            user = db.session.get(User, delivery.user_id)
            send_mail(mailer.compose_mail(event, user, incident, delivery_key=delivery.key))
        else:
            hook = db.session.get(Webhook, delivery.webhook_id, populate_existing=True)
            if not hook.active:  # paused after this delivery was claimed: it waits with the others
                return _hold(delivery)
            status = webhooks.post(hook, webhooks.render_body(hook, event, incident), delivery.key)
            if not 200 <= status < 300:
                raise OSError(f"HTTP {status}")
    except RefusedAddress as exc:  # asking again will not make an internal address public
        return _record_failure(delivery, str(exc)[:1000], give_up=True)
    except Exception as exc:  # noqa: BLE001 - any failure of the far side is recorded and retried
        return _record_failure(delivery, f"{type(exc).__name__}: {exc}"[:1000])
    begin_write()
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id)
        .values(status="sent", sent_at=clock.now(), last_error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "sent"


def _hold(delivery: Delivery) -> str:
    begin_write()
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id, Delivery.status == "sending")
        .values(status="held", attempts=Delivery.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "held"


def _record_failure(delivery: Delivery, error: str, give_up: bool = False) -> str:
    attempts = delivery.attempts
    give_up = give_up or attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]
    backoff = timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))
    log.warning("delivery %s attempt %s failed: %s", delivery.key, attempts, error)
    begin_write()
    # the shared lock makes a pause that is committing
    # wait, or be seen: a paused hook's retry is held
    paused = delivery.webhook_id is not None and not db.session.scalar(
        select(Webhook.active).where(Webhook.id == delivery.webhook_id).with_for_update(read=True)
    )
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id)
        .values(
            status="failed" if give_up else "held" if paused else "pending",
            last_error=error,
            next_attempt_at=clock.now() + backoff,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "failed" if give_up else "retry"


def run(
    app: Flask, *, once: bool = False, interval: float = 2.0, stop: threading.Event | None = None
) -> None:
    """Tick until stopped (or once): after each round, wait for a new event (PostgreSQL) or the
    interval, whichever comes first."""
    stop = stop or threading.Event()
    wakeup = None if once else Wakeup(app)
    try:
        while not stop.is_set():
            started = time.monotonic()
            with app.app_context():
                try:
                    counts = tick()
                    if any(counts.values()):
                        log.info("worker: %s", counts)
                except Exception:  # noqa: BLE001 - the loop must survive a bad round; it is logged
                    log.exception("worker round failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            if wakeup is None:
                return
            wakeup.wait(interval, stop, started)
    finally:
        if wakeup is not None:
            wakeup.close()


def start_in_process(app: Flask) -> threading.Thread:
    """Run the worker as a daemon thread of the web server (development default)."""
    thread = threading.Thread(target=run, args=(app,), name="crisisdesk-worker", daemon=True)
    thread.start()
    return thread
