"""How fast `audit verify` walks the chain, against raw hashlib over the same bytes."""

from __future__ import annotations

import hashlib
import os
import time


def audit_speed(url: str) -> dict:
    """verify_chain() events/s, in one process and split over the cores.

    Both are set against raw hashlib over the same bytes.
    """
    from sqlalchemy import select

    from crisisdesk import create_app
    from crisisdesk.extensions import db
    from crisisdesk.timeline import verify_chain
    from crisisdesk.timeline.chain import PARALLEL_FROM, canonical_json, format_at
    from crisisdesk.timeline.models import TimelineEvent

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret"})
    workers = os.cpu_count() or 1
    with app.app_context():
        timed = {}
        for processes in (1, workers):
            started = time.perf_counter()
            report = verify_chain(workers=processes)
            timed[processes] = time.perf_counter() - started
            assert report.ok, report
            db.session.remove()
        rows = db.session.execute(
            select(
                TimelineEvent.seq,
                TimelineEvent.at,
                TimelineEvent.kind,
                TimelineEvent.incident_id,
                TimelineEvent.actor_name,
                TimelineEvent.data,
                TimelineEvent.prev_hash,
            )
        ).all()
        payloads = [
            (
                prev
                + canonical_json(
                    {
                        "seq": seq,
                        "at": format_at(at),
                        "kind": kind,
                        "incident_id": incident,
                        "actor": actor,
                        "data": data,
                    }
                )
            ).encode()
            for seq, at, kind, incident, actor, data, prev in rows
        ]
    started = time.perf_counter()
    for payload in payloads:
        hashlib.sha256(payload).hexdigest()
    raw_s = time.perf_counter() - started
    split = workers if report.events_checked >= PARALLEL_FROM else 1
    return {
        "ok": report.ok,
        "events": report.events_checked,
        "verify_events_per_s": round(report.events_checked / timed[1]),
        "raw_hashlib_events_per_s": round(len(payloads) / raw_s),
        "ratio": round(raw_s / timed[1], 3),
        "processes": split,
        "split_events_per_s": round(report.events_checked / timed[workers]),
        "split_ratio": round(raw_s / timed[workers], 3),
    }
