"""Load for the multi-node test: writers through both nodes, and a probe for stale pages."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
from collections import Counter

from .servers import call_api

PLAYBOOK = "it-provider-outage-en"
WRITERS = 4


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
