"""What the benchmark watches and does while a figure is measured: the cache's hits, a note writer.

The app's workers write their cache look-up counts to a folder when CRISISDESK_READ_CACHE_STATS_DIR
names one (crisisdesk/readcache.py); the difference between two readings is what one figure did.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

NOTE_INTERVAL = 0.2
#: look-ups every request makes (who is asking); a figure's hit rate is about what it reads
IDENTITY_KINDS = {"user-session", "session-user", "token"}


def cache_counts(folder: Path) -> dict[str, list[int]]:
    """The app's look-ups so far, summed over its worker processes: kind → [hits, misses]."""
    totals: dict[str, list[int]] = {}
    for path in folder.glob("*.json"):
        try:
            counts = json.loads(path.read_text())
        except (OSError, ValueError):  # a worker is replacing it right now: its last write counts
            continue
        for kind, (hits, misses) in counts.items():
            total = totals.setdefault(kind, [0, 0])
            total[0] += hits
            total[1] += misses
    return totals


def hit_rate(before: dict, after: dict) -> dict:
    """Hits and misses between two readings, per kind, and the hit share of what a figure reads."""
    kinds = {}
    for kind, (hits, misses) in after.items():
        old = before.get(kind, [0, 0])
        if hits - old[0] or misses - old[1]:
            kinds[kind] = [hits - old[0], misses - old[1]]
    hits = sum(pair[0] for kind, pair in kinds.items() if kind not in IDENTITY_KINDS)
    lookups = sum(sum(pair) for kind, pair in kinds.items() if kind not in IDENTITY_KINDS)
    return {"hit_rate": round(hits / lookups, 4) if lookups else None, "lookups": kinds}


class NoteWriter(threading.Thread):
    """Adds a note to one incident through the API every NOTE_INTERVAL seconds until stopped."""

    def __init__(self, url: str, incident_id: int, token: str):
        super().__init__(daemon=True)
        self.request = (f"{url}/api/v1/incidents/{incident_id}/notes", token)
        self.halt, self.written, self.failed = threading.Event(), 0, 0

    def run(self) -> None:
        url, token = self.request
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while not self.halt.is_set():
            started = time.monotonic()
            body = json.dumps({"text": f"Lagebild {self.written + 1}"}).encode()
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method="POST")
                with urllib.request.urlopen(request, timeout=10) as answer:
                    answer.read()
                self.written += 1
            except OSError:  # urllib's HTTPError and URLError are OSErrors
                self.failed += 1
            self.halt.wait(max(0.0, NOTE_INTERVAL - (time.monotonic() - started)))


def settled_counts(folder: Path) -> dict:
    """The counts once every worker has written what it counted (they write every 0.2 s)."""
    time.sleep(0.5)
    return cache_counts(folder)
