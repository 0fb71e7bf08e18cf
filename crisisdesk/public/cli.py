"""`flask public render`: write the public site now (the worker does it after each change)."""

import click
from flask.cli import AppGroup

from .render import site_dir, write_site

public_cli = AppGroup("public", help="The public notice pages and feeds.")


@public_cli.command("render")
def render():
    """Write every public page and feed to PUBLIC_DIR."""
    changed = write_site()
    click.echo(f"{changed} files changed in {site_dir()}")
