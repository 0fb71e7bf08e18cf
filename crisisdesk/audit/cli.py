"""`flask audit verify`, `flask audit verify-pack` and `flask audit public-key`."""

import os

import click
from flask.cli import AppGroup

audit_cli = AppGroup(
    "audit", help="Check the timeline's hash chain, the tables it records and its checkpoints."
)


@audit_cli.command("verify")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default=True,
    help="Processes to share a long chain (from 50,000 events).",
)
@click.option(
    "--checkpoints",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Also check the signed checkpoints in this folder against the stored chain.",
)
@click.option(
    "--public-key",
    type=click.File("rb"),
    default=None,
    help="The PEM public key the checkpoints must be signed with (default: the desk's own key).",
)
def verify(workers: int, checkpoints, public_key):
    """Check chain, records and triggers (and checkpoints); exit 1 naming each failure."""
    from .runs import verify_and_record

    report = verify_and_record(
        workers=workers,
        checkpoints=checkpoints,
        public_key=public_key.read() if public_key else None,
    )
    for line in _failures(report):
        click.echo(line, err=True)
    if not report["ok"]:
        raise SystemExit(1)
    signed = report.get("checkpoints")
    click.echo(
        f"ok: {report['events_checked']} events, chain intact; "
        f"{report['records_checked']} records match "
        f"their events; append-only triggers in place"
        + (f"; {signed['checked']} checkpoints hold" if signed else "")
    )


def _failures(report: dict) -> list[str]:
    lines = []
    if not report["checks"][
        "chain"
    ]:  # the chain is checked first, so the report's own fields are its
        lines.append(
            f"BROKEN at event {report['first_bad_event']} ({report['problem']}); "
            f"{report['events_checked']} events checked before it"
        )
    records = report["records"]
    if not records["ok"]:
        where = (
            f"{records['table']} row {records['row']}"
            if records["row"] is not None
            else records["table"]
        )
        lines.append(
            f"RECORDS DIFFER at event {records['first_bad_event']} ({records['problem']}): {where}"
            + (f", field {records['field']}" if records["field"] else "")
            + f"; {records['mismatches']} mismatches in {records['records_checked']} records"
        )
    if report["missing_triggers"]:
        lines.append("TRIGGERS MISSING: " + ", ".join(report["missing_triggers"]))
    for problem in (report.get("checkpoints") or {}).get("problems", []):
        lines.append(f"CHECKPOINT {problem['file'] or '-'}: {problem['problem']}")
    return lines


@audit_cli.command("verify-pack")
@click.argument("pack", type=click.File("rb"))
def verify_pack(pack):
    """Check a regulatory evidence pack against the chain; exit 1 naming each problem."""
    from ..regulatory.packcheck import check_pack

    checked, problems = check_pack(pack.read())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"ok: {checked} events of the pack are the chain's, its texts as they recorded")


@audit_cli.command("public-key")
def public_key():
    """Print the public key checkpoints are signed with (PEM), for auditors to keep."""
    from .signing import public_pem, signing_key

    click.echo(public_pem(signing_key()), nl=False)
