"""Each write figure's requests in process: SQL statements per request, its time, and how long
it holds what serialises writers.

On SQLite every write transaction is serialised from its BEGIN IMMEDIATE to its commit; on
PostgreSQL writers queue on the chain head's row lock, from the SELECT … FOR UPDATE to the
commit. The same plans as the wrk figures (bench/writes.py) drive Flask's test client, one
request at a time, with SQLAlchemy's cursor events counting and timing.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

REQUESTS = 200


def requests_of(path: str, extra: dict, count: int) -> list[tuple[str, str | None]]:
    """The first `count` (path, body) one wrk thread alone would send for a fresh plan."""
    plan = extra.get("BENCH_PLAN")
    if not plan:
        return [(path, extra.get("BENCH_BODY"))] * count
    lines = Path(plan).read_text().split("\n")
    lines = [line for line in lines if line]
    bodies = [b for b in extra.get("BENCH_BODIES", "").split("\n") if b]
    share, sent = lines, []
    for number in range(count):
        line = share[number % len(share)]
        if "\t" in line:
            sent.append(tuple(line.split("\t", 1)))
        else:
            body = bodies[number // len(share) % len(bodies)] if bodies else None
            sent.append((line, body))
    return sent


def profile(url: str, token: str, plans: dict, count: int = REQUESTS) -> dict:
    """Per figure: statements per request (median), ms per request and serialised ms (p50/p99)."""
    from sqlalchemy import event

    from crisisdesk import create_app
    from crisisdesk.extensions import db
    from crisisdesk.timeline.models import ChainHead

    os.environ.setdefault("CRISISDESK_DEPLOYMENT", "production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret"})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    found = {}
    with app.app_context():
        engine = db.engine
        postgres = engine.dialect.name == "postgresql"
        state = {"statements": 0, "serial_from": None, "serial": []}

        def on_statement(_conn, _cursor, statement, *_args):
            state["statements"] += 1
            head = "FOR UPDATE" in statement and f"FROM {ChainHead.__tablename__}" in statement
            starts = head if postgres else statement.startswith("BEGIN IMMEDIATE")
            if starts and state["serial_from"] is None:
                state["serial_from"] = time.perf_counter()

        def on_end(_conn):
            if state["serial_from"] is not None:
                state["serial"].append((time.perf_counter() - state["serial_from"]) * 1000)
                state["serial_from"] = None

        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(engine, "commit", on_end)
        event.listen(engine, "rollback", on_end)
        try:
            for name, make_plan in plans.items():
                path, extra = make_plan()  # fresh rows: the wrk figure used up its own
                statements, took, failed = [], [], 0
                state["serial"] = []
                for sent_path, body in requests_of(path, extra, count):
                    state["statements"] = 0
                    started = time.perf_counter()
                    reply = client.post(
                        sent_path,
                        headers=headers,
                        data=body,
                        content_type="application/json" if body else None,
                    )
                    took.append((time.perf_counter() - started) * 1000)
                    statements.append(state["statements"])
                    failed += not 200 <= reply.status_code < 300
                found[name] = {
                    "requests": count,
                    "failed": failed,
                    "statements": statistics.median(statements),
                    "ms_p50": _percentile(took, 50),
                    "serial_ms_p50": _percentile(state["serial"], 50),
                    "serial_ms_p99": _percentile(state["serial"], 99),
                    "serial_from": "the head's lock" if postgres else "BEGIN IMMEDIATE",
                }
        finally:
            event.remove(engine, "before_cursor_execute", on_statement)
            event.remove(engine, "commit", on_end)
            event.remove(engine, "rollback", on_end)
            db.session.remove()
            db.engine.dispose()
    return found


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, len(ordered) * percent // 100)], 2)
