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

import email
import email.policy
import http.client
import statistics
import threading
import time
import urllib.error
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
from .servers import Node, Worker, call_api, desk_environment

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("app", ["postgres"], indirect=True)]

PLAYBOOK = "it-provider-outage-en"
WRITERS = 4
#: confirmed writes before the kill, while one node and one worker are down, after the restart
PHASES = (120, 60, 60)
HOLD_SECONDS = 10  #: how long the receiver may hold calls until both workers are in one
ESCALATING = 8  #: incidents whose 15-minute step falls due while the test runs
DRAIN_SECONDS = 150  #: a send that failed is tried again after 30 s; this allows for it
SETTINGS = {
    "WORKER_INTERVAL": 0.3,
    # longer than the receiver holds calls (HOLD_SECONDS): a worker waiting on a held call
    # is inside that call until the kill, never timed out and onto another
    "WEBHOOK_TIMEOUT": 15,
    "MAIL_TIMEOUT": 5,
    "DELIVERY_LEASE_SECONDS": 30,  # then the killed worker's call is made again
    "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "MAIL_SENDER": "desk@bank.example",
}


class Sink:
    """Keeps the first copy of each delivery key with its arrival time; counts every copy."""

    def __init__(self):
        self.lock = threading.Lock()
        self.first: dict[str, tuple[float, bytes]] = {}
        self.copies: Counter = Counter()
        #: while set, calls are received but not answered: their senders wait inside the send
        self.hold = threading.Event()
        self.held = threading.Condition()
        self.waiting = 0
        self.release = threading.Event()

    def hold_both_workers(self) -> None:
        """Return once two calls wait unanswered: each worker sends one at a time, so both
        workers are then inside a send."""
        self.hold.set()
        with self.held:
            assert self.held.wait_for(lambda: self.waiting >= 2, timeout=HOLD_SECONDS), (
                f"{self.waiting} call(s) held: both workers should be sending"
            )

    def answer_held(self) -> None:
        self.hold.clear()
        self.release.set()

    def wait_if_held(self) -> None:
        if not self.hold.is_set():
            return
        with self.held:
            self.waiting += 1
            self.held.notify_all()
        self.release.wait(timeout=60)

    def receive(self, key: str, body: bytes) -> None:
        with self.lock:
            self.copies[key] += 1
            self.first.setdefault(key, (time.time(), body))


def _start_webhook_receiver(sink: Sink) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            sink.receive(self.headers["X-CrisisDesk-Delivery"], body)
            sink.wait_if_held()
            try:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender was killed while it waited for this answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/hook"


class MailSink:
    def __init__(self, sink: Sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.receive(str(message["X-CrisisDesk-Delivery"]), envelope.content)
        return "250 OK"


class Load:
    """Writer threads sending notes and openings through both nodes, alternately."""

    def __init__(self, nodes, token: str, storm_id: int):
        self.nodes, self.token, self.storm_id = nodes, token, storm_id
        self.confirmed: list[tuple] = []  # (kind, node index, …what the answer said)
        self.cut: Counter = Counter()  # per node: refused or cut off (the node was dead)
        self.errors: list[str] = []  # any HTTP error answer: none is expected
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def wait_for(self, count: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while len(self.confirmed) < count:  # real processes answer; nothing to move
            assert time.monotonic() < deadline, f"only {len(self.confirmed)} writes confirmed"
            assert not self.errors, self.errors[:3]
            time.sleep(0.05)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _write(self, writer: int) -> None:
        count = 0
        while not self.stop.is_set():
            count += 1
            node = (writer + count) % 2
            port = self.nodes[node].port
            try:
                if count % 5:
                    text = f"w{writer}-{count}"
                    path = f"/incidents/{self.storm_id}/notes"
                    status, body = call_api(port, "POST", path, self.token, {"text": text})
                    self.confirmed.append(("note", node, text, body["seq"], body["hash"]))
                else:
                    title = f"w{writer}-{count}"
                    values = {"title": title, "severity": 2, "playbook": PLAYBOOK}
                    status, body = call_api(port, "POST", "/incidents", self.token, values)
                    self.confirmed.append(("incident", node, title, body["id"], body["ref"]))
                assert status == 201
            except urllib.error.HTTPError as exc:
                self.errors.append(f"{exc.code} {exc.read()[:300]!r}")
            except (OSError, http.client.HTTPException):  # the node is dead or died under it
                self.cut[node] += 1
                time.sleep(0.01)  # a dead node refuses at once; do not spin on it


class Probe:
    """Writes through one node, then reads the same kept pages through the other."""

    def __init__(self, nodes, token: str, probe_id: int):
        self.nodes, self.token, self.probe_id = nodes, token, probe_id
        self.fresh: Counter = Counter()  # per reading node
        self.stale: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        rounds = 0
        while not self.stop.is_set() and rounds < 160:
            rounds += 1
            writer, reader = self.nodes[rounds % 2], self.nodes[(rounds + 1) % 2]
            try:
                if rounds % 4:
                    path = f"/incidents/{self.probe_id}/notes"
                    _s, note = call_api(writer.port, "POST", path, self.token, {"text": "p"})
                    path = f"/incidents/{self.probe_id}/timeline?limit=200"
                    _s, page = call_api(reader.port, "GET", path, self.token)
                    seen = note["seq"] in {item["seq"] for item in page["items"]}
                    what = f"note {note['seq']}"
                else:
                    values = {"title": f"probe {rounds}", "severity": 3, "playbook": PLAYBOOK}
                    _s, opened = call_api(writer.port, "POST", "/incidents", self.token, values)
                    _s, page = call_api(reader.port, "GET", "/incidents?limit=50", self.token)
                    seen = opened["id"] in {item["id"] for item in page["items"]}
                    what = f"incident {opened['id']}"
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)  # one of the two is down: nothing to compare this round
                continue
            if seen:
                self.fresh[(rounds + 1) % 2] += 1
            else:
                self.stale.append(f"{what} missing on node {(rounds + 1) % 2}")
            time.sleep(0.05)  # a probe, not more load


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
    receiver, hook_url = _start_webhook_receiver(sink)
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
