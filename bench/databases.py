"""The benchmark's databases: made fresh for each history, filled, and settled on disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent


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
