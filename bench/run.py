"""CrisisDesk under load: ratios to a bare Flask app, measured in one run.

Generates a database (default 100,000 incidents, 1,000,000 events, one incident with 10,000),
serves the app and a "hello" app with the same gunicorn settings on 127.0.0.1, drives both
with wrk, and prints a table with each figure's cache hit rate (the app's workers write their
lookup counts to a folder the benchmark reads after each figure); results go to
bench/results.json. Needs `wrk` (Debian: `apt-get install wrk`); it installs nothing itself.

room_writer is the room read by 8 connections while one more connection adds a note every
200 ms to another incident; room_writer_same the same with the notes to the room's own incident;
search_writer the search while those notes arrive (each moves every incident's head, so a kept
search answer lives at most until the next note).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate import SEARCH_QUERY, generate  # noqa: E402
from index_cost import index_cost  # noqa: E402
from observe import NOTE_INTERVAL, NoteWriter, hit_rate, settled_counts  # noqa: E402
from public_page import PUBLISH_INTERVAL, measure_public  # noqa: E402

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
READS = ["api_list", "board", "room", "timeline_page", "postmortem", "dashboard", "search"]
#: the room read while notes are written to another incident, and to its own
WRITERS = ["room_writer", "room_writer_same", "search_writer"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process on a free loopback port."""

    def __init__(self, target: str, env: dict):
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
            cwd=str(ROOT),
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
        except (
            subprocess.TimeoutExpired
        ):  # a worker stuck in a request: the figures are taken already
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


def session_cookie(database_url: str, user_id: int, nonce: str) -> str:
    """The session a browser holds after signing in and loading one page, signed by the app.

    It carries what sign-in and the first page put there (the session-protection id for wrk's
    address, a CSRF secret), so a measured request reads the session and does not rewrite it.
    """
    from flask import session
    from flask_login.utils import _create_identifier
    from flask_wtf.csrf import generate_csrf

    from crisisdesk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        session.update(
            {
                "_user_id": f"{user_id}:{nonce}",
                "_fresh": True,
                "_id": _create_identifier(),
                "lang": "de",
            }
        )
        generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def targets(info: dict, cookie: str, manager_cookie: str) -> dict:
    """What each figure requests."""
    token = {"BENCH_AUTH": f"Bearer {info['token']}"}
    big = info["big_incident"]
    middle = info["middle_seq"]
    import base64

    cursor = base64.urlsafe_b64encode(json.dumps([middle]).encode()).decode().rstrip("=")
    return {
        "api_list": ("/api/v1/incidents", token),
        "board": ("/", {"BENCH_COOKIE": cookie}),
        "room": (f"/incidents/{big}", {"BENCH_COOKIE": cookie}),
        "timeline_page": (f"/api/v1/incidents/{big}/timeline?cursor={cursor}", token),
        "postmortem": (f"/incidents/{big}/postmortem", {"BENCH_COOKIE": manager_cookie}),
        "dashboard": ("/dashboard", {"BENCH_COOKIE": manager_cookie}),
        "search": (f"/api/v1/search?q={quote(SEARCH_QUERY)}", token),
        "room_writer": (f"/incidents/{big}", {"BENCH_COOKIE": cookie}),
        "room_writer_same": (f"/incidents/{big}", {"BENCH_COOKIE": cookie}),
        "search_writer": (f"/api/v1/search?q={quote(SEARCH_QUERY)}", token),
        "write": (
            "/api/v1/incidents",
            {
                **token,
                "BENCH_METHOD": "POST",
                "BENCH_BODY": json.dumps(
                    {"title": "Last test", "severity": 3, "playbook": "phishing-wave-de"}
                ),
            },
        ),
    }


def prepare(
    database_url: str | None, name: str, incidents: int, events: int, big: int
) -> tuple[str, dict]:
    """A fresh database of the given size."""
    if database_url:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        base = make_url(database_url)
        engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        db_name = f"crisisdesk_bench_{name}"
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        url = base.set(database=db_name).render_as_string(hide_password=False)
    else:
        path = HERE / f"bench-{name}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    print(
        f"generating {name}: {incidents:,} incidents, {events:,} events ({big:,} in one)",
        file=sys.stderr,
    )
    info = generate(url, incidents, events, big)
    info["middle_seq"] = info["events"] - big // 2
    settle(url)
    return url, info


def settle(url: str) -> None:
    """Let the bulk load reach the disk before measuring, so the first figure does not pay for it.

    On PostgreSQL that includes VACUUM ANALYZE: otherwise autovacuum works through the million
    new rows while the first figures are taken, and the planner has no statistics yet.
    """
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url[len("sqlite:///") :]) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    os.sync()


def measure_size(url: str, info: dict, figures: list[str], seconds: int, connections: int) -> dict:
    stats = Path(tempfile.mkdtemp(prefix="crisisdesk-bench-cache-"))
    env = {
        "DATABASE_URL": url,
        "CRISISDESK_SECRET_KEY": "bench-secret",
        "CRISISDESK_DEPLOYMENT": "production",
        "CRISISDESK_READ_CACHE_STATS_DIR": str(stats),
    }
    app = Server("app:app", env)
    try:
        cookie = session_cookie(url, info["user_ids"]["oncall"], info["nonces"]["oncall"])
        manager = session_cookie(url, info["user_ids"]["management"], info["nonces"]["management"])
        plan = targets(info, cookie, manager)
        results = {}
        for figure in figures:
            path, extra = plan[figure]
            wrk(app.url + path, 2, 2, extra)  # warm up: caches, the library sync, connections
            writer = None
            if figure in WRITERS:
                target = info["big_incident"] - (0 if figure == "room_writer_same" else 1)
                writer = NoteWriter(app.url, target, info["token"])
                writer.start()
            before = settled_counts(stats)
            results[figure] = wrk(app.url + path, seconds, connections, extra)
            if writer is not None:
                writer.halt.set()
                writer.join(timeout=15)
                results[figure].update(
                    notes=writer.written, errors=results[figure]["errors"] + writer.failed
                )
            results[figure].update(hit_rate(before, settled_counts(stats)))
            rate = results[figure]["hit_rate"]
            print(
                f"  {figure:<16} {results[figure]['rps']:>8} req/s"
                + (f", {rate:.1%} kept" if rate is not None else ""),
                file=sys.stderr,
            )
        return results
    finally:
        app.stop()


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000, help="events in the one big incident")
    parser.add_argument(
        "--small", type=int, default=1_000, help="incidents in the small history to compare"
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per figure")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL server URL (default: SQLite files)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,000 incidents, 20,000 events, 5 s per figure"
    )
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    if args.quick:
        seconds = args.seconds if "--seconds" in (argv or sys.argv) else 5
        args.incidents, args.events, args.big, args.small, args.seconds = (
            2_000,
            20_000,
            2_000,
            500,
            seconds,
        )
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    ceiling = hello_run(args.seconds, args.connections)
    print(f"  hello          {ceiling['rps']:>8} req/s", file=sys.stderr)
    large_url, large = prepare(args.database_url, "large", args.incidents, args.events, args.big)
    large_results = measure_size(
        large_url, large, READS + WRITERS + ["write"], args.seconds, args.connections
    )
    large_results["public_notice"] = measure_public(
        large_url,
        large,
        args.seconds,
        args.connections,
        lambda seconds: hello_run(seconds, args.connections),
    )
    print(f"  public_notice    {large_results['public_notice']['rps']:>8} req/s", file=sys.stderr)
    small_url, small = prepare(
        args.database_url, "small", args.small, args.small * 10, min(args.big, args.small * 10 // 2)
    )
    small_results = measure_size(small_url, small, READS, args.seconds, args.connections)
    audit = audit_speed(large_url)
    report = build_report(args, ceiling, large_results, small_results, audit)
    # last: it adds incidents and notes to the large history
    report["search_index_cost"] = index_cost(large_url, rounds=4 if args.quick else 10)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    return 0 if report["errors"] == 0 else 1


def hello_run(seconds: int, connections: int) -> dict:
    """The bare Flask app on the same gunicorn: the ceiling every figure is set against."""
    hello = Server("bench.hello:app", {})
    try:
        wrk(hello.url + "/", 1, 2)
        return wrk(hello.url + "/", seconds, connections)
    finally:
        hello.stop()


def build_report(args, ceiling, large, small, audit) -> dict:
    figures = {}
    for name, result in large.items():
        figures[name] = {**result, "ratio_to_hello": round(result["rps"] / ceiling["rps"], 3)}
        if name in small:
            figures[name]["small_rps"] = small[name]["rps"]
            figures[name]["history_ratio"] = round(result["rps"] / small[name]["rps"], 3)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit.strip(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "database": "postgresql" if args.database_url else "sqlite",
        "size": {
            "incidents": args.incidents,
            "events": args.events,
            "big_incident_events": args.big,
            "small_incidents": args.small,
        },
        "seconds_per_figure": args.seconds,
        "connections": args.connections,
        "hello": ceiling,
        "figures": figures,
        "audit_verify": audit,
        "errors": sum(f["errors"] for f in large.values())
        + sum(f["errors"] for f in small.values()),
    }


def print_table(report: dict) -> None:
    print(
        f"\nCrisisDesk benchmark — {report['date']}, {report['machine']}, {report['database']}, "
        f"commit {report['commit']}"
    )
    print(
        f"{'figure':<17}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'/hello':>8}"
        f"{'1k→big':>8}{'kept':>8}{'errors':>8}"
    )
    hello = report["hello"]
    print(
        f"{'hello':<17}{hello['rps']:>9}{hello['p50_ms']:>9.2f}{hello['p95_ms']:>9.2f}"
        f"{hello['p99_ms']:>9.2f}{1:>8}{'':>8}{'':>8}{hello['errors']:>8}"
    )
    for name, f in report["figures"].items():
        kept = f"{f['hit_rate']:.1%}" if f.get("hit_rate") is not None else ""
        print(
            f"{name:<17}{f['rps']:>9}{f['p50_ms']:>9.2f}{f['p95_ms']:>9.2f}{f['p99_ms']:>9.2f}"
            f"{f['ratio_to_hello']:>8}{f.get('history_ratio', ''):>8}{kept:>8}{f['errors']:>8}"
        )
    figures = report["figures"]
    for name, read, where in (
        ("room_writer", "room", "another incident"),
        ("room_writer_same", "room", "its own incident"),
        ("search_writer", "search", "an incident"),
    ):
        if name in figures and read in figures:
            print(
                f"{name}: the {read} read by {report['connections']} connections "
                f"while one more adds a note every {int(NOTE_INTERVAL * 1000)} ms to {where} "
                f"({figures[name]['notes']} notes): "
                f"{figures[name]['rps'] / figures[read]['rps']:.2f} of the {read} read alone"
            )
    public = figures.get("public_notice")
    if public is not None:
        print(
            f"public_notice: the German notice page read by {report['connections']} connections "
            f"while an update is published every {PUBLISH_INTERVAL:g} s ({public['published']} "
            f"updates): {public['ratio_to_hello_beside']} of hello measured beside it "
            f"({public['hello_beside'][0]} and {public['hello_beside'][1]} req/s); "
            f"the page showed the last update afterwards: {public['shows_last_update']}"
        )
    audit = report["audit_verify"]
    print(
        f"audit verify: {audit['verify_events_per_s']:,} events/s"
        f" vs raw hashlib {audit['raw_hashlib_events_per_s']:,}"
        f" → {audit['ratio']}; in {audit['processes']} processes"
        f" {audit['split_events_per_s']:,} events/s"
        f" → {audit['split_ratio']} (chain ok: {audit['ok']})"
    )
    for name, cost in report.get("search_index_cost", {}).items():
        print(
            f"search index, {name}: {cost['indexed_ms']} ms with it, {cost['unindexed_ms']} ms "
            f"without ({cost['cost_percent']:+}%, median of {cost['writes']} writes in process)"
        )
    print(f"errors: {report['errors']}")


if __name__ == "__main__":
    raise SystemExit(main())
