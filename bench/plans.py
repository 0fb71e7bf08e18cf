"""Each read's SQL and plans at both history sizes: what grows with the history.

    .venv/bin/python bench/plans.py [--database-url postgresql+psycopg://…]

Uses the two histories `make bench` leaves behind (bench/bench-large.sqlite and
bench-small.sqlite, or the crisisdesk_bench_large and _small PostgreSQL databases). Each read of
the benchmark is requested through Flask's test client with the read cache off, so every query
runs; its statements are recorded from the second request, and each SELECT is run again under
`EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL, or timed and `EXPLAIN QUERY PLAN`ned on SQLite.
Prints, per read, the statements' time at both sizes and every full scan or sort of more than
1,000 rows; writes bench/plans-<database>.json with each statement and its plan.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from run import READS, session_cookie, targets  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

BIG = 1000  #: rows a scan or sort must pass to be named
#: the test client's requests, for which the session cookies are made
ENVIRON = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "plans"}


def _info(app) -> dict:
    """Users, a fresh token and sessions, the big incident and its middle event, as generate()
    returned them."""
    from crisisdesk.accounts import sessions, tokens
    from crisisdesk.accounts.models import User
    from crisisdesk.extensions import db

    with app.app_context():
        users = {
            name: db.session.scalar(select(User).where(User.username == name))
            for name in ("oncall", "management")
        }
        big, events = db.session.execute(
            text(
                "SELECT incident_id, count(*) FROM timeline_event WHERE incident_id IS NOT NULL "
                "GROUP BY incident_id ORDER BY count(*) DESC LIMIT 1"
            )
        ).one()
        middle = db.session.scalar(
            text(
                "SELECT seq FROM timeline_event WHERE incident_id = :big ORDER BY seq "
                "LIMIT 1 OFFSET :half"
            ),
            {"big": big, "half": events // 2},
        )
        info = {
            "token": tokens.create_token(users["oncall"], "plans")[1],
            "big_incident": big,
            "middle_seq": middle,
            "user_ids": {name: user.id for name, user in users.items()},
            "nonces": {
                name: sessions.start_session(user, address="127.0.0.1", user_agent="plans")[1]
                for name, user in users.items()
            },
        }
        db.session.commit()
    return info


def _statements(app, path: str, extra: dict) -> list[tuple[str, object]]:
    """The SELECTs the second request of `path` runs, on the pool and on the light connection."""
    from crisisdesk.extensions import db
    from crisisdesk.lightreader import LightReader

    headers = {}
    if "BENCH_AUTH" in extra:
        headers["Authorization"] = extra["BENCH_AUTH"]
    seen: list = []

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    client = app.test_client()
    if "BENCH_COOKIE" in extra:
        name, value = extra["BENCH_COOKIE"].split("=", 1)
        client.set_cookie(name, value)
    with app.app_context():
        engine = db.engine
    first = client.get(path, headers=headers, environ_base=ENVIRON)
    if first.status_code != 200:
        raise RuntimeError(f"{path}: {first.status_code}")
    placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    light_row = LightReader.row

    def light(reader, sql, params=()):
        seen.append((sql.replace("?", placeholder), tuple(params)))
        return light_row(reader, sql, params)

    event.listen(engine, "before_cursor_execute", record)
    LightReader.row = light
    try:
        client.get(path, headers=headers, environ_base=ENVIRON)
    finally:
        LightReader.row = light_row
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _walk(node: dict, found: list) -> None:
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    passed = rows + node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
    kind = node["Node Type"]
    if (kind == "Seq Scan" and passed > BIG) or (kind == "Sort" and rows > BIG):
        found.append(f"{kind} {node.get('Relation Name', '')} {passed:,} rows".replace("  ", " "))
    for child in node.get("Plans", []):
        _walk(child, found)


def _explain(connection, dialect: str, statement: str, parameters) -> dict:
    cursor = connection.cursor()
    try:
        if dialect == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
            (plan,) = cursor.fetchone()
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            found: list = []
            _walk(plan["Plan"], found)
            return {"ms": round(plan["Execution Time"], 3), "notable": found, "plan": plan}
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        lines = [row[3] for row in cursor.fetchall()]
        best = None
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            best = min(best or 1e9, (time.perf_counter() - started) * 1000)
        scans = [line for line in lines if line.startswith("SCAN") and "USING" not in line]
        scans += [line for line in lines if "TEMP B-TREE" in line]
        return {"ms": round(best, 3), "notable": scans, "plan": lines}
    finally:
        cursor.close()


def plans_of(url: str, kept: bool) -> dict:
    """{read: [{sql, ms, notable, plan}]} for the history at `url`: what a kept page still runs
    (`kept`), or everything a page runs with the read cache off."""
    from crisisdesk import create_app
    from crisisdesk.extensions import db

    cache = {} if kept else {"READ_CACHE_SIZE": 0}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", **cache})
    info = _info(app)
    ids, nonces = info["user_ids"], info["nonces"]
    cookie = session_cookie(url, ids["oncall"], nonces["oncall"], ENVIRON)
    manager = session_cookie(url, ids["management"], nonces["management"], ENVIRON)
    plan = targets(info, cookie, manager)
    result = {}
    for read in READS:
        statements = _statements(app, *plan[read])
        with app.app_context():
            raw = db.engine.raw_connection()
            try:
                dialect = db.engine.dialect.name
                result[read] = [
                    {"sql": sql, **_explain(raw.driver_connection, dialect, sql, parameters)}
                    for sql, parameters in statements
                ]
            finally:
                raw.rollback()
                raw.close()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None, help="the PostgreSQL server of the bench")
    args = parser.parse_args(argv)
    if args.database_url:
        base = make_url(args.database_url)
        urls = {
            size: base.set(database=f"crisisdesk_bench_{size}").render_as_string(
                hide_password=False
            )
            for size in ("small", "large")
        }
    else:
        urls = {size: f"sqlite:///{HERE / f'bench-{size}.sqlite'}" for size in ("small", "large")}
    database = "postgresql" if args.database_url else "sqlite"
    found = {}
    for kept in (True, False):
        what = "kept" if kept else "computed"
        found[what] = {size: plans_of(url, kept) for size, url in urls.items()}
        print(
            f"\n{database}, {what} pages\n{'read':<15}{'queries':>8}{'1k ms':>9}{'100k ms':>9}"
            f"{'growth':>8}  scans and sorts at 100k"
        )
        for read in READS:
            small = sum(s["ms"] for s in found[what]["small"][read])
            large = sum(s["ms"] for s in found[what]["large"][read])
            notable = sorted({n for s in found[what]["large"][read] for n in s["notable"]})
            print(
                f"{read:<15}{len(found[what]['large'][read]):>8}{small:>9.2f}{large:>9.2f}"
                f"{large / small if small else 0:>8.2f}  {'; '.join(notable) or '-'}"
            )
    out = HERE / f"plans-{database}.json"
    out.write_text(json.dumps(found, indent=1, default=str) + "\n")
    print(f"plans: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
