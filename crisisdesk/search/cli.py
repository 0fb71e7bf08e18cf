"""`flask search rebuild`."""

import click
from flask.cli import AppGroup

from ..extensions import db
from .rebuild import rebuild

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("rebuild")
def rebuild_index():
    """Build the search index afresh from the tables (after a bulk load or a restore)."""
    with db.engine.begin() as connection:
        count = rebuild(connection)
    click.echo(f"{count} texts indexed")
