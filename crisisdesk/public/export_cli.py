"""`flask export offline PATH`, `flask export verify PATH` and `flask export public-key`."""

import click
from flask.cli import AppGroup

export_cli = AppGroup("export", help="Export the offline bundle and verify a copy.")


@export_cli.command("offline")
@click.argument("path", type=click.Path(file_okay=True, dir_okay=True, writable=True))
@click.option("--with-contacts", is_flag=True, help="Include the contacts (personal data).")
@click.option("--with-rotas", is_flag=True, help="Include the rotas (personal data).")
def export_offline(path: str, with_contacts: bool, with_rotas: bool):
    """Write the signed offline bundle to PATH (a new folder, or a .zip file)."""
    from .offline import export_bundle

    try:
        bundle = export_bundle(path, contacts=with_contacts, rotas=with_rotas)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {bundle.listed} files to {path}; manifest sha256 {bundle.manifest_sha256}")


@export_cli.command("verify")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--public-key",
    type=click.File("rb"),
    default=None,
    help="Also require the signature of this key (public-key.txt, a base64 line or PEM).",
)
def verify(path: str, public_key):
    """Check a copy against its signed manifest; exit 1 naming each changed, missing, extra file."""
    from .manifest import check_copy, read_copy
    from .signing import KeyProblem, desk_public_key, parse_public_key

    trusted = []
    own = desk_public_key(create=False)
    if own is not None:
        trusted.append(("this desk's key", own))
    if public_key is not None:
        try:
            trusted.append((f"the key in {public_key.name}", parse_public_key(public_key.read())))
        except KeyProblem as exc:
            raise click.ClickException(f"{public_key.name}: {exc}") from None
    try:
        report = check_copy(read_copy(path), trusted)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in report.problems:
        click.echo(problem, err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo(f"ok: {report.checked} files")


@export_cli.command("public-key")
def public_key():
    """Print the desk's public key (base64 of the raw 32 bytes), its fingerprint and PEM."""
    from .signing import desk_public_key

    click.echo(desk_public_key().text(), nl=False)
