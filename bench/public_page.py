"""The public notice page under load while the desk publishes an update every 2 s.

Customers hit a bank's notice page hardest when online banking is down, and the desk keeps
updating it meanwhile. This puts the dark page live on a fresh incident, then drives the German
notice page with wrk while a publisher drafts and publishes a new website update through the API
every PUBLISH_INTERVAL seconds and a worker process rewrites the files after each. The figure is
set against hello measured just before and just after it (the machine's speed drifts), and the
page must show the last update a few seconds after the publisher stops.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PUBLISH_INTERVAL = 2.0
DARK_PAGE = "it-outage-page-de"
VALUES = {
    "affected": "Online-Banking und App",
    "since": "2026-12-03T08:00",
    "workaround": "Bargeld erhalten Sie in unseren Filialen zu den üblichen Öffnungszeiten.",
}


def open_notice(url: str) -> tuple[int, str]:
    """An outage opened by on call with its dark page approved and published: (incident, path)."""
    from crisisdesk import create_app
    from crisisdesk.accounts.service import find_user
    from crisisdesk.incidents import service as incidents
    from crisisdesk.library import service as library
    from crisisdesk.public.notices import notice_of, notice_path
    from crisisdesk.responses import publishing
    from crisisdesk.responses import service as responses

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret"})
    with app.app_context():
        oncall, legal = find_user("oncall"), find_user("legal")
        library.approve_statement(DARK_PAGE, actor=legal)
        incident = incidents.open_incident(
            actor=oncall, title="Bench outage", severity=1, playbook="it-provider-outage-de"
        )
        response = responses.draft_response(
            incident.id,
            actor=oncall,
            channel="website",
            statement=DARK_PAGE,
            values={**VALUES, "next_update": "09:00"},
        )
        publishing.publish_response(response.id, actor=oncall)
        _history_dispatched()
        return incident.id, notice_path(notice_of(incident.id), "de")


def _history_dispatched() -> None:
    """Mark the generated history as told already: the worker then spends the figure on what
    happens during it, not on a million old events (a running desk has no such backlog)."""
    from sqlalchemy import func, select

    from crisisdesk.database import begin_write, insert_ignore
    from crisisdesk.extensions import db
    from crisisdesk.notify.models import WorkerCursor
    from crisisdesk.notify.worker import CURSOR
    from crisisdesk.timeline.models import TimelineEvent

    begin_write()
    newest = db.session.scalar(select(func.max(TimelineEvent.seq)))
    if not insert_ignore(WorkerCursor, "name", name=CURSOR, last_seq=newest):
        db.session.execute(
            WorkerCursor.__table__.update()
            .where(WorkerCursor.name == CURSOR)
            .values(last_seq=newest)
        )
    db.session.commit()


class Publisher(threading.Thread):
    """Drafts the dark page with a new time and publishes it, every PUBLISH_INTERVAL seconds."""

    def __init__(self, url: str, incident_id: int, token: str):
        super().__init__(daemon=True)
        self.url, self.incident_id = url, incident_id
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.halt, self.published, self.failed, self.last = threading.Event(), 0, 0, None

    def _post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path, json.dumps(body).encode(), self.headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def run(self) -> None:
        while not self.halt.is_set():
            started = time.monotonic()
            minute = self.published % 60
            values = {**VALUES, "next_update": f"{10 + self.published // 60 % 10}:{minute:02d}"}
            try:
                draft = self._post(
                    f"/api/v1/incidents/{self.incident_id}/responses",
                    {"channel": "website", "statement": DARK_PAGE, "values": values},
                )
                self._post(f"/api/v1/responses/{draft['id']}/publish", {})
                self.published += 1
                self.last = values["next_update"]
            except OSError:  # urllib's HTTPError and URLError are OSErrors
                self.failed += 1
            self.halt.wait(max(0.0, PUBLISH_INTERVAL - (time.monotonic() - started)))


def measure_public(url: str, info: dict, seconds: int, connections: int, hello) -> dict:
    """The notice page's figure, with the hello runs beside it and whether the page kept up."""
    from serving import Server, wrk

    incident_id, path = open_notice(url)
    folder = tempfile.mkdtemp(prefix="crisisdesk-bench-public-")
    env = {
        "DATABASE_URL": url,
        "CRISISDESK_SECRET_KEY": "bench-secret",
        "CRISISDESK_DEPLOYMENT": "production",
        "CRISISDESK_PUBLIC_DIR": folder,
        "CRISISDESK_WORKER_INTERVAL": "0.5",
        "CRISISDESK_MAIL_SERVER": "127.0.0.1",
        "CRISISDESK_MAIL_PORT": "9",  # nothing listens: the bench's mail fails fast and is retried
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=str(ROOT),
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = Server("app:app", env)
    try:
        page = app.url + path
        _wait_for(lambda: (Path(folder) / "index.html").exists(), "the worker's first writing")
        wrk(page, 2, 2)  # warm up
        before = hello(seconds)
        publisher = Publisher(app.url, incident_id, info["token"])
        publisher.start()
        result = wrk(page, seconds, connections)
        publisher.halt.set()
        publisher.join(timeout=15)
        after = hello(seconds)
        last = publisher.last
        kept_up = _wait_for(lambda: last is not None and _shows(page, last), "the last update")
        neighbours = (before["rps"] + after["rps"]) / 2
        result.update(
            published=publisher.published,
            errors=result["errors"] + publisher.failed,
            hello_beside=[before["rps"], after["rps"]],
            ratio_to_hello_beside=round(result["rps"] / neighbours, 3),
            shows_last_update=kept_up,
        )
        if not kept_up:
            result["errors"] += 1
        return result
    finally:
        app.stop()
        worker.terminate()
        worker.wait(timeout=20)


def _shows(page: str, text: str) -> bool:
    with urllib.request.urlopen(page, timeout=10) as answer:
        return text in answer.read().decode()


def _wait_for(condition, what: str, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    print(f"  public_notice: gave up waiting for {what}", file=sys.stderr)
    return False
