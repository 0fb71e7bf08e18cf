"""`flask playbooks check` and `flask playbooks sync`."""

import click
from flask import current_app
from flask.cli import AppGroup

from . import service
from .loader import load_library
from .store import invalidate

playbooks_cli = AppGroup("playbooks", help="Check and record the content library.")


@playbooks_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def check(directory):
    """Report every problem in the content folder; exit 1 if there is any."""
    library = load_library(directory or current_app.config["CONTENT_DIR"])
    for problem in library.problems:
        click.echo(str(problem), err=True)
    if library.problems:
        raise SystemExit(1)
    click.echo(
        f"ok: {len(library.playbooks)} playbooks, {len(library.statements)} statements, "
        f"{len(library.drills)} drill scripts, {len(library.qa)} Q&A sheets"
    )


@playbooks_cli.command("sync")
def sync():
    """Record new content versions in the database and note expired approvals."""
    invalidate()
    library = service.get_library()
    for problem in library.problems:
        click.echo(f"skipped: {problem}", err=True)
    new = service.sync_versions(library)
    expired = service.record_expired_approvals()
    click.echo(f"{len(new)} new versions recorded; {expired} approvals expired")
