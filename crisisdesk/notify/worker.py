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
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from .. import clock, signals
from ..accounts.models import User
from ..database import begin_write
from ..extensions import db
from ..incidents.escalation import claim_due_steps
from ..incidents.models import Incident
from ..library.service import record_expired_approvals
from ..timeline.models import TimelineEvent
from . import mailer, reminders, webhooks
from .outbox import insert_ignore
from .models import Delivery, Webhook, WorkerCursor

log = logging.getLogger(__name__)
CURSOR = "notify"
LEASE = timedelta(seconds=120)  #: a 'sending' delivery older than this is taken to have crashed


def tick() -> dict:
    """Do one round of everything; return counts (for logs and tests)."""
    counts = {"steps": len(claim_due_steps()), "reminders": reminders.raise_due_reminders()}
    record_expired_approvals()
    counts["events"] = dispatch_events()
    counts["delivered"], counts["failed"] = deliver_due()
    return counts


def dispatch_events(batch: int = 200) -> int:
    """Send the signals for events after the cursor; receivers queue deliveries in this transaction."""
    begin_write()
    # two workers starting at once must not both create the cursor row
    insert_ignore(WorkerCursor, "name", name=CURSOR, last_seq=0)
    cursor = db.session.execute(select(WorkerCursor).where(WorkerCursor.name == CURSOR).with_for_update()
                                .execution_options(populate_existing=True)).scalar_one()
    events = db.session.scalars(select(TimelineEvent).where(TimelineEvent.seq > cursor.last_seq)
                                .order_by(TimelineEvent.seq).limit(batch)).all()
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


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Send pending deliveries (and ones whose sender died); return (sent, failed for good)."""
    now = clock.now()
    due = db.session.scalars(select(Delivery.id).where(or_(
        (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
        (Delivery.status == "sending") & (Delivery.claimed_at <= now - LEASE))).order_by(Delivery.id).limit(limit)).all()
    db.session.rollback()
    sent = failed = 0
    for delivery_id in due:
        delivery = _claim(delivery_id, now)
        if delivery is None:
            continue
        outcome = _send(delivery)
        if outcome == "sent":
            sent += 1
        elif outcome == "failed":
            failed += 1
    return sent, failed


def _claim(delivery_id: int, now):
    begin_write()
    won = db.session.execute(update(Delivery).where(Delivery.id == delivery_id, or_(
        Delivery.status == "pending", (Delivery.status == "sending") & (Delivery.claimed_at <= now - LEASE)))
        .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return db.session.get(Delivery, delivery_id) if won else None


def _send(delivery: Delivery) -> str:
    event = db.session.get(TimelineEvent, delivery.event_seq)
    incident = db.session.get(Incident, event.incident_id) if event.incident_id else None
    try:
        if delivery.channel == "mail":
            mailer.send_mail(mailer.compose_mail(event, db.session.get(User, delivery.user_id), incident))
        else:
            hook = db.session.get(Webhook, delivery.webhook_id)
            status = webhooks.post(hook, webhooks.render_body(hook, event, incident), delivery.key)
            if not 200 <= status < 300:
                raise OSError(f"HTTP {status}")
    except Exception as exc:  # noqa: BLE001 - any failure of the far side is recorded and retried
        return _record_failure(delivery, f"{type(exc).__name__}: {exc}"[:1000])
    begin_write()
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
        status="sent", sent_at=clock.now(), last_error="").execution_options(synchronize_session=False))
    db.session.commit()
    return "sent"


def _record_failure(delivery: Delivery, error: str) -> str:
    attempts = delivery.attempts
    give_up = attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]
    backoff = timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))
    log.warning("delivery %s attempt %s failed: %s", delivery.key, attempts, error)
    begin_write()
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
        status="failed" if give_up else "pending", last_error=error,
        next_attempt_at=clock.now() + backoff).execution_options(synchronize_session=False))
    db.session.commit()
    return "failed" if give_up else "retry"


def run(app: Flask, *, once: bool = False, interval: float = 2.0, stop: threading.Event | None = None) -> None:
    """Tick until stopped (or once)."""
    stop = stop or threading.Event()
    while not stop.is_set():
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
        if once:
            return
        stop.wait(interval)


def start_in_process(app: Flask) -> threading.Thread:
    """Run the worker as a daemon thread of the web server (development default)."""
    thread = threading.Thread(target=run, args=(app,), name="crisisdesk-worker", daemon=True)
    thread.start()
    return thread
