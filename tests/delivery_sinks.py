"""Receivers for the desk's deliveries in process tests: a webhook endpoint and an SMTP
handler that keep the first copy of each X-CrisisDesk-Delivery and count the repeats."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .conftest import free_port

HOLD_SECONDS = 10  #: how long the receiver may hold calls until both workers are in one


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


def start_webhook_receiver(sink: Sink) -> tuple[ThreadingHTTPServer, str]:
    """An HTTP receiver on a free loopback port filing each call in `sink`; (server, URL)."""

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
    """An aiosmtpd handler that files each mail under its X-CrisisDesk-Delivery."""

    def __init__(self, sink: Sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.receive(str(message["X-CrisisDesk-Delivery"]), envelope.content)
        return "250 OK"
