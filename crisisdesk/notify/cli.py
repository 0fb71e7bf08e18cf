"""`flask worker` and `flask webhooks …`."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..errors import DomainError
from ..extensions import db
from . import service
from .webhooks import FORMATS
from .worker import run

webhooks_cli = AppGroup("webhooks", help="Manage outbound webhooks.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one round and exit.")
@with_appcontext
def worker(once):
    """Claim due steps, raise reminders, deliver mail
    and webhooks (run one per machine or several).
    """
    app = current_app._get_current_object()
    click.echo(
        "worker: one round"
        if once
        else f"worker: every {app.config['WORKER_INTERVAL']} s (Ctrl+C stops)"
    )
    try:
        run(app, once=once, interval=float(app.config["WORKER_INTERVAL"]))
    except KeyboardInterrupt:
        click.echo("worker: stopped")


@webhooks_cli.command("add")
@click.argument("url")
@click.option("--secret", required=True, help="HMAC-SHA256 key (16+ characters).")
@click.option("--event", "events", multiple=True, help="Event kind to send (repeat); none: all.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    help="json: the signed payload; chat: Slack-compatible text; teams: a Microsoft Teams card.",
)
@click.option(
    "--restricted-events",
    is_flag=True,
    help="Also send the events of restricted (need-to-know) incidents.",
)
def add(url, secret, events, fmt, restricted_events):
    """Register a webhook."""
    try:
        hook = service.add_webhook(
            url, secret, events=list(events), format=fmt, restricted_events=restricted_events
        )
    except DomainError as exc:
        db.session.rollback()  # end the refused write transaction before anything else runs
        raise click.ClickException(exc.message) from None
    click.echo(f"webhook {hook.id}: {hook.url}")


@webhooks_cli.command("list")
def list_hooks():
    """List webhooks."""
    from sqlalchemy import select

    from ..extensions import db
    from .models import Webhook

    for hook in db.session.scalars(select(Webhook).order_by(Webhook.id)):
        click.echo(
            f"{hook.id}\t{'active' if hook.active else 'paused'}\t{hook.format}\t"
            f"{hook.url}\t{hook.events}"
        )
