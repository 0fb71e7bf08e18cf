"""Event → delivery: how soon a note's webhook call leaves, with a real `flask worker`.

A fresh small database, the app under gunicorn, one `flask worker` at the default interval
and a webhook receiver in this process. Notes go in one at a time, at uneven gaps so the
timer's phase is sampled evenly; for each, the time from its event (`at`, stamped inside the
writing transaction) to the receiver holding the call. On PostgreSQL the worker wakes on the
event's NOTIFY; on SQLite it waits for its timer.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from databases import prepare
from serving import ROOT, Server, free_port

INTERVAL = 2.0  #: the worker's default (config.WORKER_INTERVAL)


class Receiver:
    """A webhook endpoint that notes when each delivery key first arrived."""

    def __init__(self):
        arrived = self.arrived = {}
        condition = self.condition = threading.Condition()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with condition:
                    arrived.setdefault(self.headers["X-CrisisDesk-Delivery"], time.time())
                    condition.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, key: str, timeout: float = 30) -> float:
        with self.condition:
            if not self.condition.wait_for(lambda: key in self.arrived, timeout=timeout):
                raise RuntimeError(f"delivery {key} did not arrive within {timeout} s")
            return self.arrived[key]


def _add_webhook(url: str, receiver_url: str) -> int:
    from crisisdesk import create_app
    from crisisdesk.notify import service

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
        }
    )
    with app.app_context():
        return service.add_webhook(receiver_url, "bench-secret-12345", events=["note_added"]).id


def _note(server_url: str, token: str, incident_id: int, text: str) -> dict:
    request = urllib.request.Request(
        f"{server_url}/api/v1/incidents/{incident_id}/notes",
        data=json.dumps({"text": text}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def delivery_latency(database_url: str | None, notes: int) -> dict:
    """p50/p95/max milliseconds from a note's event to its webhook call arriving."""
    url, info = prepare(database_url, "latency", 20, 200, 50)
    receiver = Receiver()
    hook_id = _add_webhook(url, receiver.url)
    files = Path(tempfile.mkdtemp(prefix="crisisdesk-bench-worker-"))
    env = {
        "DATABASE_URL": url,
        "CRISISDESK_SECRET_KEY": "bench-secret",
        "CRISISDESK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "CRISISDESK_WORKER_INTERVAL": str(INTERVAL),
        **{
            f"CRISISDESK_{name}": str(files / name.lower())
            for name in ("PUBLIC_DIR", "OFFLINE_DIR")
        },
        "CRISISDESK_CHECKPOINT_DIR": str(files / "checkpoints"),
        "CRISISDESK_SIGNING_KEY_PATH": str(files / "signing_key.pem"),
    }
    server = Server("app:app", env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    incident = info["big_incident"]
    rng = random.Random(11)
    try:
        # the first round works through the generated history's due steps: not measured
        first = _note(server.url, info["token"], incident, "warm-up")
        receiver.wait_for(f"{first['seq']}:webhook:{hook_id}", timeout=120)
        waits = []
        for n in range(notes):
            time.sleep(rng.uniform(0, INTERVAL))  # the timer's phase sampled evenly
            event = _note(server.url, info["token"], incident, f"latency {n}")
            arrived = receiver.wait_for(f"{event['seq']}:webhook:{hook_id}")
            at = datetime.fromisoformat(event["at"].replace("Z", "+00:00")).timestamp()
            waits.append((arrived - at) * 1000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()
        receiver.server.shutdown()
    waits.sort()
    result = {
        "notes": len(waits),
        "p50_ms": round(statistics.median(waits), 1),
        "p95_ms": round(waits[max(0, round(0.95 * len(waits)) - 1)], 1),
        "max_ms": round(waits[-1], 1),
        "worker_interval_s": INTERVAL,
        "wakes_on": "notify" if database_url else "timer",
    }
    print(
        f"  delivery_latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms "
        f"({result['wakes_on']})",
        file=sys.stderr,
    )
    return result
