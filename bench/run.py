"""CrisisDesk under load: ratios to a bare Flask app, measured in one run.

Generates a database (default 100,000 incidents, 1,000,000 events, one incident with 10,000),
serves the app and a "hello" app with the same gunicorn settings on 127.0.0.1, drives both
with wrk, and prints a table with each figure's cache hit rate (the app's workers write their
lookup counts to a folder the benchmark reads after each figure); results go to
bench/results.json. Needs `wrk` (Debian: `apt-get install wrk`); it installs nothing itself.

Each figure is set against the hello runs just before and after it (bench/ceiling.py): the
machine's speed drifts over minutes. room_writer is the room read by 8 connections while one
more connection adds a note every 200 ms to another incident; room_writer_same the same with
the notes to the room's own incident; search_writer the search while those notes arrive (each
moves every incident's head, so a kept search answer lives at most until the next note). The
write figures (bench/writes.py) are also profiled in process (bench/write_profile.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from audit_speed import audit_speed  # noqa: E402
from ceiling import Ceiling  # noqa: E402
from databases import prepare  # noqa: E402
from delivery_latency import delivery_latency  # noqa: E402
from generate import SEARCH_QUERY  # noqa: E402
from index_cost import index_cost  # noqa: E402
from observe import NoteWriter, hit_rate, settled_counts  # noqa: E402
from public_page import measure_public  # noqa: E402
from report import beside_sqlite, build_report, print_table  # noqa: E402
from serving import Server, wrk  # noqa: E402
from write_profile import profile  # noqa: E402
from writes import WRITES, tidy, write_targets  # noqa: E402

READS = ["api_list", "board", "room", "timeline_page", "postmortem", "dashboard", "search"]
#: the room read while notes are written to another incident, and to its own
WRITERS = ["room_writer", "room_writer_same", "search_writer"]


def session_cookie(database_url: str, user_id: int, nonce: str, environ: dict | None = None) -> str:
    """The session a browser holds after signing in and loading one page, signed by the app.

    It carries what sign-in and the first page put there (the session-protection id for wrk's
    address, or for `environ`'s, a CSRF secret), so a measured request reads the session and
    does not rewrite it.
    """
    from flask import session
    from flask_login.utils import _create_identifier
    from flask_wtf.csrf import generate_csrf

    from crisisdesk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    with app.test_request_context(environ_base=environ or {"REMOTE_ADDR": "127.0.0.1"}):
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
    }


def measure_size(
    url: str, info: dict, figures: list[str], seconds: int, connections: int, ceiling: Ceiling
) -> dict:
    """Each figure on the app serving `url`, between two hello runs (in `hello_beside`)."""
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
        writes = write_targets(url, info, seconds)
        ceiling.measure()  # the first figure's "before": after the database was made
        results = {}
        for figure in figures:
            path, extra = writes[figure]() if figure in writes else plan[figure]
            if figure not in writes:
                wrk(app.url + path, 2, 2, extra)  # warm up: caches, the library, connections
            writer = None
            if figure in WRITERS:
                target = info["big_incident"] - (0 if figure == "room_writer_same" else 1)
                writer = NoteWriter(app.url, target, info["token"])
                writer.start()
            before = settled_counts(stats)
            result = wrk(app.url + path, seconds, connections, extra)
            if figure in writes:
                tidy(url, info["big_incident"])
            if writer is not None:
                writer.halt.set()
                writer.join(timeout=15)
                result.update(notes=writer.written, errors=result["errors"] + writer.failed)
            result.update(hit_rate(before, settled_counts(stats)))
            result["hello_beside"] = [ceiling.runs[-1]["rps"], ceiling.measure()["rps"]]
            results[figure] = result
            rate = result["hit_rate"]
            print(
                f"  {figure:<16} {result['rps']:>8} req/s"
                + (f", {rate:.1%} kept" if rate is not None else ""),
                file=sys.stderr,
            )
        return results
    finally:
        app.stop()


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
    parser.add_argument(
        "--out",
        default=None,
        help="default: bench/results.json (SQLite) or bench/results-postgresql.json, whose "
        "figures are also copied into results.json under `postgresql`",
    )
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
    ceiling = Ceiling(max(2, args.seconds // 2), args.connections)
    try:
        report = measure_all(args, ceiling)
    finally:
        ceiling.stop()
    if args.out is None:
        args.out = HERE / ("results-postgresql.json" if args.database_url else "results.json")
        if args.database_url:
            beside_sqlite(report, HERE / "results.json")
        elif args.out.exists():  # the last PostgreSQL run stays, under its own commit
            kept = json.loads(args.out.read_text()).get("postgresql")
            report.update({"postgresql": kept} if kept else {})
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    return 0 if report["errors"] == 0 else 1


def measure_all(args, ceiling: Ceiling) -> dict:
    """Both histories, the in-process figures, and the report."""
    large_url, large = prepare(args.database_url, "large", args.incidents, args.events, args.big)
    figures = READS + WRITERS + WRITES
    large_results = measure_size(large_url, large, figures, args.seconds, args.connections, ceiling)
    public = measure_public(large_url, large, args.seconds, args.connections, ceiling.measure)
    large_results["public_notice"] = public
    print(f"  public_notice    {public['rps']:>8} req/s", file=sys.stderr)
    # the same big incident in both histories, so a page of it compares like with like
    small_url, small = prepare(
        args.database_url, "small", args.small, args.small * 10 + args.big, args.big
    )
    small_results = measure_size(small_url, small, READS, args.seconds, args.connections, ceiling)
    plans = write_targets(large_url, large, args.seconds)
    profiled = profile(large_url, large["token"], plans, 60 if args.quick else 200)
    tidy(large_url, large["big_incident"])
    extras = {
        "audit_verify": audit_speed(large_url),
        "delivery_latency": delivery_latency(args.database_url, 10 if args.quick else 40),
        "write_profile": profiled,
        # last: it adds incidents and notes to the large history
        "search_index_cost": index_cost(large_url, rounds=4 if args.quick else 10),
    }
    return build_report(args, ceiling, large_results, small_results, extras)


if __name__ == "__main__":
    raise SystemExit(main())
