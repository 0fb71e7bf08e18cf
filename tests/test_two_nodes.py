"""Two nodes and two workers on one PostgreSQL; kill -9 one node and one worker mid-load.

Two gunicorn servers (two workers each) on two ports and two `flask worker` processes share
the test's PostgreSQL database. Threads write notes and open incidents through both nodes
while escalation steps fall due; a webhook receiver and an SMTP sink listen, each keeping
the first copy of every delivery key and counting the others (a receiver drops them by
X-CrisisDesk-Delivery). Once enough writes are confirmed, one node and one worker are killed
with SIGKILL, the load goes on through the other node, then both are started again.

Afterwards: every confirmed write is stored, the chain is gapless and verifies, every due
step was told exactly once, every delivery was sent and reached its receiver, nothing
arrived that the desk did not queue, and a write through one node was always seen by the
other node's next read of the same kept page.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from crisisdesk import clock
from crisisdesk.accounts import tokens
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import EscalationStep
from crisisdesk.notify import service as notify
from crisisdesk.notify.models import Delivery, WorkerCursor
from crisisdesk.timeline.chain import decoded_data, verify_chain
from crisisdesk.timeline.models import TimelineEvent

from .conftest import free_port
from .delivery_sinks import MailSink, Sink, start_webhook_receiver
from .node_load import PLAYBOOK, Load, Probe
from .servers import Node, Worker, desk_environment

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("app", ["postgres"], indirect=True)]

#: confirmed writes before the kill, while one node and one worker are down, after the restart
PHASES = (120, 60, 60)
ESCALATING = 8  #: incidents whose 15-minute step falls due while the test runs
DRAIN_SECONDS = 150  #: a send that failed is tried again after 30 s; this allows for it
SETTINGS = {
    "WORKER_INTERVAL": 0.3,
    # longer than the receiver holds calls (delivery_sinks.HOLD_SECONDS): a worker waiting on
    # a held call is inside that call until the kill, never timed out and onto another
    "WEBHOOK_TIMEOUT": 15,
    "MAIL_TIMEOUT": 5,
    "DELIVERY_LEASE_SECONDS": 30,  # then the killed worker's call is made again
    "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "MAIL_SENDER": "desk@bank.example",
}


def _open_escalating(olga, start: datetime) -> list[int]:
    """Severity-1 incidents opened so their 15-minute step falls due 5 to 40 s from `start`."""
    ids = []
    for n in range(ESCALATING):
        clock.freeze(start - timedelta(minutes=15) + timedelta(seconds=5 + n * 5))
        try:
            incident = incidents.open_incident(
                actor=olga, title=f"Escalating {n}", severity=1, playbook=PLAYBOOK
            )
        finally:
            clock.unfreeze()
        ids.append(incident.id)
    return ids


def _drained(due_by: datetime) -> bool:
    db.session.remove()
    pending_steps = db.session.scalar(
        select(func.count())
        .select_from(EscalationStep)
        .where(EscalationStep.status == "pending", EscalationStep.due_at <= due_by)
    )
    unsent = db.session.scalar(
        select(func.count()).select_from(Delivery).where(Delivery.status != "sent")
    )
    cursor = db.session.scalar(select(WorkerCursor.last_seq))
    last = db.session.scalar(select(func.max(TimelineEvent.seq)))
    return pending_steps == 0 and unsent == 0 and cursor == last


def test_two_nodes_and_two_workers_lose_nothing_when_one_of_each_dies(
    app, make_user, tmp_path, capsys
):
    olga = make_user("olga", roles=["oncall"], email="olga@bank.example")
    make_user("mia", roles=["management"], email="mia@bank.example")
    make_user("leo", roles=["legal"], email="leo@bank.example")
    _row, token = tokens.create_token(olga, "two nodes")
    sink, mail_sink = Sink(), Sink()
    receiver, hook_url = start_webhook_receiver(sink)
    smtp = Controller(MailSink(mail_sink), hostname="127.0.0.1", port=free_port())
    smtp.start()
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    hook_id = notify.add_webhook(hook_url, "two-nodes-secret-1234").id
    hook_from = db.session.scalar(select(func.max(TimelineEvent.seq))) or 0
    start = datetime.now(UTC)
    escalating = _open_escalating(olga, start)
    storm = incidents.open_incident(actor=olga, title="Storm", severity=2, playbook=PLAYBOOK)
    probe_incident = incidents.open_incident(
        actor=olga, title="Probe", severity=3, playbook=PLAYBOOK
    )
    storm_id, probe_id = storm.id, probe_incident.id
    db.session.remove()

    settings = {**SETTINGS, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}
    env = desk_environment(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, **settings)
    nodes = [Node(env, tmp_path / f"node{n}.log") for n in range(2)]
    workers = [Worker(env, tmp_path / f"worker{n}.log") for n in range(2)]
    load, probe = Load(nodes, token, storm_id), Probe(nodes, token, probe_id)
    try:
        for process in (*nodes, *workers):
            process.start()
        load.start()
        probe.thread.start()
        load.wait_for(PHASES[0])
        sink.hold_both_workers()
        nodes[0].kill()  # requests are in flight on it now
        workers[0].kill()  # in the middle of a webhook call: sent, never recorded as sent
        sink.answer_held()
        load.wait_for(PHASES[0] + PHASES[1])
        nodes[0].start()
        workers[0].start()
        through_restarted = sum(entry[1] == 0 for entry in load.confirmed)
        load.wait_for(sum(PHASES))
        load.finish()
        probe.stop.set()
        probe.thread.join(timeout=30)
        drain_started = time.monotonic()
        due_by = start + timedelta(seconds=5 + ESCALATING * 5)
        while not _drained(due_by):  # the workers deliver on their own; wait on the state
            assert time.monotonic() - drain_started < DRAIN_SECONDS, "deliveries still open"
            time.sleep(0.5)
        drain_seconds = time.monotonic() - drain_started
    finally:
        load.stop.set()
        probe.stop.set()
        for process in (*nodes, *workers):
            process.kill()
        smtp.stop()
        receiver.shutdown()

    assert not load.errors, load.errors[:3]
    assert load.cut[0] > 0, "no request was cut off or refused by the killed node"
    assert sum(entry[1] == 0 for entry in load.confirmed) > through_restarted
    db.session.remove()

    # every confirmed write is stored as answered; the chain is whole
    events = {event.seq: event for event in db.session.scalars(select(TimelineEvent))}
    for kind, _node, text, key, value in load.confirmed:
        if kind == "note":
            assert events[key].hash == value and decoded_data(events[key])["text"] == text
    planned = set(db.session.scalars(select(EscalationStep.incident_id)))
    opened = {
        decoded_data(event)["title"]: event.incident_id
        for event in events.values()
        if event.kind == "incident_opened"
    }
    for kind, _node, title, incident_id, _ref in load.confirmed:
        if kind == "incident":
            assert opened[title] == incident_id and incident_id in planned
    assert sorted(events) == list(range(1, len(events) + 1))
    result = verify_chain()
    assert result.ok, result

    # every step that fell due was told exactly once
    told = Counter(
        decoded_data(event)["step"]
        for event in events.values()
        if event.kind == "escalation_notified"
    )
    due_steps = db.session.scalars(
        select(EscalationStep.id).where(
            EscalationStep.incident_id.in_(escalating),
            EscalationStep.due_at <= due_by,
            EscalationStep.acknowledged_at.is_(None),  # not the step the opening took on
        )
    ).all()
    assert len(due_steps) >= ESCALATING
    assert set(told) == set(due_steps)
    assert all(told[step] == 1 for step in due_steps), told

    # every delivery was sent and arrived; nothing arrived that was not queued
    deliveries = db.session.scalars(select(Delivery)).all()
    assert {delivery.status for delivery in deliveries} == {"sent"}
    by_channel = {
        channel: {d.key for d in deliveries if d.channel == channel}
        for channel in ("webhook", "mail")
    }
    assert set(sink.first) == by_channel["webhook"]
    assert set(mail_sink.first) == by_channel["mail"]
    hooked = {d.event_seq for d in deliveries if d.webhook_id == hook_id}
    assert hooked == {
        seq for seq, event in events.items() if seq > hook_from and event.incident_id is not None
    }
    for step_event in (e for e in events.values() if e.kind == "escalation_notified"):
        mails = [d for d in deliveries if d.event_seq == step_event.seq and d.channel == "mail"]
        assert mails and f"{step_event.seq}:webhook:{hook_id}" in sink.first

    # a page kept by one node never hid a write made through the other
    assert not probe.stale, probe.stale[:3]
    assert min(probe.fresh[0], probe.fresh[1]) >= 10, probe.fresh

    waits = sorted(
        sink.first[f"{e.seq}:webhook:{hook_id}"][0]
        - datetime.fromisoformat(decoded_data(e)["due_at"]).timestamp()
        for e in events.values()
        if e.kind == "escalation_notified"
    )
    resent = {key: n for key, n in (sink.copies + mail_sink.copies).items() if n > 1}
    assert resent, "the killed worker's call was not made again"
    with capsys.disabled():
        print(
            f"\n  two nodes: {len(load.confirmed)} writes confirmed "
            f"({sum(e[1] == 0 for e in load.confirmed)} through the killed node), "
            f"{sum(load.cut.values())} refused or cut off, 0 lost; {len(events)} events, "
            f"chain verifies; {len(due_steps)} steps due, each told once, due → webhook "
            f"p50 {statistics.median(waits):.2f} s, max {waits[-1]:.2f} s; "
            f"{len(by_channel['webhook'])} webhook calls and {len(by_channel['mail'])} mails, "
            f"each key received, {len(resent)} received twice (same key: the kill); "
            f"drained in {drain_seconds:.1f} s; {sum(probe.fresh.values())} reads through the "
            f"other node, 0 stale"
        )
