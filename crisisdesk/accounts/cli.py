"""`flask users …` and `flask demo`."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..errors import DomainError
from ..extensions import db
from . import service, tokens
from .models import USER_ROLES

users_cli = AppGroup("users", help="Manage user accounts.")
ROLE = click.Choice(USER_ROLES)
DEMO_STEPS = "crisisdesk.demo_steps"

#: one demo account per role (plus a second legal reviewer, so four eyes can be tried)
DEMO_USERS = [
    ("oncall", "Olga Oncall", ["oncall"], "en"),
    ("legal", "Lena Legal", ["legal"], "en"),
    ("legal2", "Lukas Legal", ["legal"], "de"),
    ("management", "Max Management", ["management"], "de"),
    ("compliance", "Carla Compliance", ["compliance"], "de"),
    ("infosec", "Ines Infosec", ["infosec"], "de"),
    ("dpo", "Doris Datenschutz", ["dpo"], "de"),
    ("hr", "Hanno Personal", ["hr"], "de"),
    ("admin", "Ada Admin", ["admin", "oncall"], "en"),
]


def _fail(exc: DomainError):
    db.session.rollback()  # end the refused write transaction before anything else runs
    raise click.ClickException(exc.message)


def _user_or_fail(username: str):
    user = service.find_user(username)
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    return user


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role", "roles", multiple=True, type=ROLE, required=True, help="Repeat for several roles."
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default=None, help="Display name.")
@click.option("--email", default="")
@click.option("--language", type=click.Choice(["de", "en"]), default="de")
def create(username, roles, password, display_name, email, language):
    """Create a user with one or more roles."""
    try:
        user = service.create_user(
            username,
            password=password,
            roles=list(roles),
            display_name=display_name,
            email=email,
            language=language,
        )
    except DomainError as exc:
        _fail(exc)
    click.echo(f"created {user.username} ({', '.join(user.roles)})")


@users_cli.command("list")
def list_users():
    """List users with roles and state."""
    for user in service.all_users():
        state = "active" if user.active else "inactive"
        click.echo(f"{user.username}\t{','.join(user.roles)}\t{state}\t{user.display_name}")


@users_cli.command("set-roles")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=ROLE, required=True)
def set_roles(username, roles):
    """Replace a user's roles."""
    user = _user_or_fail(username)
    try:
        user = service.set_roles(user.id, list(roles))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{user.username}: {', '.join(user.roles)}")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate(username):
    """Deactivate a user: sessions end, tokens are revoked for good."""
    user = _user_or_fail(username)
    service.set_active(user.id, False)
    click.echo(f"deactivated {user.username}")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="A name to tell the token apart.")
@click.option(
    "--days",
    type=click.IntRange(1, tokens.MAX_DAYS),
    default=None,
    help="Days until the token expires (default: TOKEN_DEFAULT_DAYS).",
)
@click.option("--no-expiry", is_flag=True, help="Make a token that never expires.")
def token(username, name, days, no_expiry):
    """Make an API token; the token is the last line of output (shown once)."""
    if days is not None and no_expiry:
        raise click.UsageError("--days and --no-expiry exclude each other")
    user = _user_or_fail(username)
    if not user.active:
        raise click.ClickException(f"{username} is deactivated")
    try:
        row, secret = tokens.create_token(
            user, name, days=None if no_expiry else (days or "default")
        )
    except DomainError as exc:
        _fail(exc)
    expiry = f"expires {row.expires_at:%Y-%m-%d %H:%M} UTC" if row.expires_at else "never expires"
    click.echo(
        f"token {row.prefix}… for {user.username}, {expiry} (stored hashed; shown only now):"
    )
    click.echo(secret)


def add_demo_step(app, step: Callable[[dict], str]) -> None:
    """Let a package above this one add demo data: `step(users)` runs after the demo users
    exist (users by username), must change nothing on a second run, and returns a line to print.
    """
    app.extensions.setdefault(DEMO_STEPS, []).append(step)


@click.command("demo")
@with_appcontext
def demo():
    """Create the demo users and demo data if missing and print the logins (not in production)."""
    if current_app.config["DEPLOYMENT"] == "production":
        raise click.ClickException("demo users are not created in production")
    click.echo("Demo logins (username / password):")
    users = {}
    for username, display_name, roles, language in DEMO_USERS:
        password = f"{username}-demo-pass"
        users[username] = service.find_user(username) or service.create_user(
            username,
            password=password,
            roles=roles,
            display_name=display_name,
            language=language,
            email=f"{username}@example.org",
        )
        click.echo(f"  {username:<11} / {password:<22} {', '.join(roles)}")
    for step in current_app.extensions.get(DEMO_STEPS, []):
        try:
            click.echo(step(users))
        except DomainError as exc:
            _fail(exc)
