"""The desk as it runs in production, for the kill -9 tests: gunicorn nodes and `flask worker`
processes, each in its own process group so one SIGKILL takes it whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def desk_environment(database_url: str, folder: Path, **settings) -> dict:
    """The environment of a node or worker: the test's database, files under `folder`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CRISISDESK_SECRET_KEY": "process-test",
        "CRISISDESK_INPROCESS_WORKER": "0",
    }
    for name in ("PUBLIC_DIR", "OFFLINE_DIR", "EVIDENCE_DIR", "CHECKPOINT_DIR"):
        env[f"CRISISDESK_{name}"] = str(folder / name.lower())
    env["CRISISDESK_SIGNING_KEY_PATH"] = str(folder / "signing_key.pem")
    env.update({f"CRISISDESK_{key}": str(value) for key, value in settings.items()})
    return env


class Process:
    """A desk process in its own session; its output goes to `log`."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.command, self.env, self.log, self.process = command, env, log, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole process group: no handler runs, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def last_output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


class Node(Process):
    """gunicorn with two workers on a port of its own."""

    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "app:app"]
        super().__init__(command, env, log)

    def start(self) -> None:
        """Start and return once it answers (gunicorn binds before its workers have the app)."""
        super().start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # a real process starting; no clock to move here
            try:
                url = f"http://127.0.0.1:{self.port}/api/v1/openapi.json"
                urllib.request.urlopen(url, timeout=2).close()
                return
            except OSError:
                assert self.process.poll() is None, self.last_output()
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start: " + self.last_output())


class Worker(Process):
    """`flask worker`: escalations, reminders and deliveries."""

    def __init__(self, env: dict, log: Path):
        super().__init__([sys.executable, "-m", "flask", "--app", "app", "worker"], env, log)


def call_api(port: int, method: str, path: str, token: str, body: dict | None = None):
    """(status, JSON answer) of one API request to the node on `port` (raises on errors)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())
