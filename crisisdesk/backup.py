"""`flask backup PATH` and `flask restore PATH`:
consistent SQLite copies; pg_dump guidance for PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db

PG_GUIDANCE = (
    "PostgreSQL: back up with `pg_dump --format=custom --file=crisisdesk.dump <database>` and "
    "restore with `pg_restore --clean --dbname=<database> crisisdesk.dump`, "
    "then run `flask audit verify`."
)


def _sqlite_path() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def backup_to(target: Path) -> None:
    """Copy the live SQLite database with SQLite's
    online backup (consistent while the desk runs).
    """
    source = sqlite3.connect(str(_sqlite_path()))
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def restore_from(backup: Path) -> None:
    """Replace the live SQLite database's content with a backup's, page by page."""
    db.session.remove()
    db.engine.dispose()
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    destination = sqlite3.connect(str(_sqlite_path()))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path):
    """Write a consistent copy of the SQLite database to PATH."""
    if _sqlite_path() is None:
        raise click.ClickException(PG_GUIDANCE)
    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file")
    backup_to(target)
    click.echo(f"backup written to {target} ({target.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(path, yes):
    """Restore the SQLite database from a backup made by `flask backup`, then verify the chain."""
    from .timeline import verify_chain

    if _sqlite_path() is None:
        raise click.ClickException(PG_GUIDANCE)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as check:
            check.execute("SELECT count(*) FROM timeline_event").fetchone()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} is not a CrisisDesk backup: {exc}") from exc
    if not yes:
        click.confirm(
            f"Replace {current_app.config['SQLALCHEMY_DATABASE_URI']} with {path}?", abort=True
        )
    restore_from(Path(path))
    report = verify_chain()
    click.echo(
        f"restored; chain {'intact' if report.ok else 'BROKEN at ' + str(report.first_bad_event)}: "
        f"{report.events_checked} events"
    )
    if not report.ok:
        raise SystemExit(1)
