"""Processes the benchmark drives: gunicorn on a free loopback port, and wrk against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GUNICORN = [
    "--workers",
    "2",
    "--worker-class",
    "sync",
    "--backlog",
    "2048",
    "--log-level",
    "warning",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process on a free loopback port, serving `target` from the checkout `root`."""

    def __init__(self, target: str, env: dict, root: Path = ROOT):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *GUNICORN,
                "--bind",
                f"127.0.0.1:{self.port}",
                target,
            ],
            cwd=str(root),
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        # the master listens before its workers have loaded the app: wait for an answer, not
        # for the port, or a busy machine's first figure measures the workers starting up
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + "/", timeout=10).close()
                return
            except urllib.error.HTTPError:
                return  # an answer, if not a page: the app is loaded
            except OSError:
                time.sleep(0.05)
        self.process.kill()
        raise RuntimeError(f"{target} did not start: {self.process.stderr.read().decode()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a worker stuck in a request: the figures are taken
            self.process.kill()
            self.process.wait(timeout=20)


def wrk(url: str, seconds: int, connections: int, env: dict | None = None) -> dict:
    """Drive one URL; return requests/s, latency percentiles and errors."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "wrk_report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    line = next(
        output_line
        for output_line in result.stdout.splitlines()
        if output_line.startswith("BENCH_JSON ")
    )
    data = json.loads(line[len("BENCH_JSON ") :])
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    return data
