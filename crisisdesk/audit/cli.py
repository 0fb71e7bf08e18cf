"""`flask audit verify`."""
import os

import click
from flask.cli import AppGroup


audit_cli = AppGroup("audit", help="Check the timeline's hash chain.")


@audit_cli.command("verify")
@click.option("--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default=True,
              help="Processes to share a long chain (from 50,000 events).")
def verify(workers: int):
    """Recompute the hash chain; exit 1 and name the first bad event if it does not hold."""
    from ..review.service import verify_and_record

    report = verify_and_record(workers=workers)
    if report["ok"]:
        click.echo(f"ok: {report['events_checked']} events, chain intact")
        return
    click.echo(f"BROKEN at event {report['first_bad_event']} ({report['problem']}); "
               f"{report['events_checked']} events checked before it", err=True)
    raise SystemExit(1)
