"""Real peers for notification tests: an SMTP server
(aiosmtpd) and an HTTP receiver on 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from ..conftest import free_port


class Inbox:
    """Collects what the SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SENDER="desk@bank.example"
    )
    yield inbox
    controller.stop()


class Receiver:
    """An HTTP endpoint whose answers a test scripts: a list of statuses, a delay, a body size."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[int] = []
        self.delay = 0.0
        self.body_size = 0
        self.url = ""


@pytest.fixture
def receiver(app):
    """The receiver listens on 127.0.0.1, which webhooks
    may reach only when it is listed as allowed.
    """
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(
                {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            )
            if state.delay:
                time.sleep(state.delay)  # the far side hangs; the desk's timeout must cut it off
            status = state.script.pop(0) if state.script else 200
            self.send_response(status)
            self.send_header("Content-Length", str(state.body_size))
            self.end_headers()
            chunk = b"x" * 65536
            remaining = state.body_size
            try:
                while remaining > 0:
                    self.wfile.write(chunk[: min(remaining, len(chunk))])
                    remaining -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the desk stopped reading, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    thread.join(timeout=5)


#: what people write, with everything Slack, Teams and HTML would read as markup
NOTE = "a<b ~c & <!channel> <https://evil.example/login|Online banking> &amp; *bold*"
TITLE = "Fees <!here> & more"


@pytest.fixture
def olga(make_user):
    """The on-call user who opens incidents and writes notes, with a mail address."""
    return make_user("olga", roles=["oncall"], email="olga@bank.example")
