"""CrisisDesk: playbooks, pre-approved statements, incidents and an audit-proof timeline."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import load_config

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config, extensions, template helpers, blueprints, errors, receivers, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PACKAGE_DIR.parent / "templates"),
    )
    load_config(app, config)
    register_extensions(app)
    register_template_helpers(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_receivers(app)
    register_rules(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the hooks they need."""
    from flask_babel import lazy_gettext as _l

    from . import (
        channel_catalogue,
        database,
        i18n,
        inputs,
        navigation,
        readcache,
        regulatory,
        security,
    )
    from .accounts.signin import load_session_user
    from .extensions import babel, bootstrap, csrf, db, login_manager, migrate
    from .search import indexer as search_indexer

    channel_catalogue.init_app(app)
    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR.parent / "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    navigation.register_navigation(app)
    security.register_security(app)
    inputs.register_input_guard(app)
    readcache.init_app(app)
    regulatory.init_app(app)
    _register_models()
    search_indexer.listen()


def _register_models() -> None:
    # Import every model module so metadata (and so migrations) sees all tables.
    from . import mail as _mail  # noqa: F401 - the development mailbox's table
    from .accounts import models as _accounts  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .audit import triggers as _triggers  # noqa: F401 - append-only guards on the recorded tables
    from .drills import models as _drills  # noqa: F401
    from .impersonation import models as _impersonation  # noqa: F401
    from .incidents import models as _incidents  # noqa: F401
    from .library import models as _library  # noqa: F401
    from .notify import models as _notify  # noqa: F401
    from .people import models as _people  # noqa: F401
    from .public import models as _public  # noqa: F401
    from .regulatory import models as _regulatory  # noqa: F401
    from .responses import models as _responses  # noqa: F401
    from .review import models as _review  # noqa: F401
    from .search import models as _search  # noqa: F401
    from .timeline import models as _timeline  # noqa: F401


def register_template_helpers(app: Flask) -> None:
    """Give templates their filters and globals (formatting, labels, event sentences)."""
    from .template_helpers import register_template_helpers as register

    register(app)


def register_blueprints(app: Flask) -> None:
    """Attach the HTML desk and the JSON API."""
    from . import api
    from .accounts import admin_views, profile_views, views
    from .drills import views as drill_views
    from .extensions import csrf
    from .impersonation import case_views
    from .impersonation import views as official_views
    from .incidents import actions as incident_actions
    from .incidents import views as incident_views
    from .library import qa_views as _qa_views  # noqa: F401 - its routes join the library's
    from .library import views as library_views
    from .library.sync import register_sync_on_start
    from .notify import views as notify_views
    from .people import duty_views
    from .people import views as people_views
    from .public import desk_views as public_desk_views
    from .public import offline_views
    from .public import views as public_views
    from .regulatory import views as regulatory_views
    from .responses import sheet_views as _sheet_views  # noqa: F401 - joins the responses routes
    from .responses import views as response_views
    from .review import dashboard
    from .review import views as review_views
    from .room import views as room_views
    from .search import views as search_views

    for blueprint in (
        incident_views.bp,
        room_views.bp,
        incident_actions.bp,
        views.bp,
        profile_views.bp,
        admin_views.bp,
        library_views.bp,
        response_views.bp,
        notify_views.bp,
        review_views.bp,
        dashboard.bp,
        regulatory_views.bp,
        people_views.bp,
        duty_views.bp,
        duty_views.calendar_bp,
        offline_views.bp,
        public_desk_views.bp,
        drill_views.bp,
        official_views.bp,
        case_views.bp,
        search_views.bp,
    ):
        app.register_blueprint(blueprint)
    register_public_site(app, public_views.bp)
    register_sync_on_start(app)
    csrf.exempt(api.bp)  # bearer tokens, never cookies: nothing for a forged request to ride on
    app.register_blueprint(api.bp)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def register_public_site(app: Flask, blueprint) -> None:
    """Serve the written public files in front of the app, and the fallback route behind it."""
    from .public.notices import on_published
    from .public.render import site_dir_of
    from .public.serving import PublicFiles
    from .responses.publishing import add_publish_hook

    prefix = app.config["PUBLIC_PREFIX"]
    app.register_blueprint(blueprint, url_prefix=prefix.rstrip("/"))
    app.wsgi_app = PublicFiles(
        app.wsgi_app, lambda: site_dir_of(app), prefix, app.config["PUBLIC_MAX_AGE"]
    )
    add_publish_hook(app, on_published)


def _favicon():
    # browsers ask for /favicon.ico whatever the page links; the icon is the SVG in static/
    from flask import redirect, url_for

    return redirect(url_for("static", filename="favicon.svg"), 301)


def register_error_handlers(app: Flask) -> None:
    """Map every error to an HTML page or the API's JSON error."""
    from .errors import register_error_handlers as register

    register(app)


def register_receivers(app: Flask) -> None:
    """Connect signal receivers; run the worker in-process when configured (development)."""
    from .notify.receivers import connect_receivers
    from .notify.worker import start_in_process

    connect_receivers()
    if app.config["INPROCESS_WORKER"] and not app.testing:
        start_in_process(app)


def register_rules(app: Flask) -> None:
    """Rules a lower package enforces on behalf of a higher one."""
    from .drills.service import require_drill_ended
    from .incidents.service import add_close_check
    from .review.service import require_summary_to_close

    add_close_check(app, require_summary_to_close)
    add_close_check(app, require_drill_ended)


def register_cli(app: Flask) -> None:
    """Add the `flask …` commands."""
    from .accounts.cli import add_demo_step, demo, users_cli
    from .audit.cli import audit_cli
    from .backup import backup, restore
    from .impersonation.demo import load_demo_accounts
    from .library.cli import playbooks_cli
    from .library.demo import approve_statements_for_demo
    from .notify.cli import webhooks_cli, worker
    from .people.demo import load_demo_contacts, load_demo_duties
    from .public.cli import public_cli
    from .public.export_cli import export_cli
    from .search.cli import search_cli

    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(playbooks_cli)
    app.cli.add_command(webhooks_cli)
    app.cli.add_command(worker)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo)
    add_demo_step(app, approve_statements_for_demo)
    add_demo_step(app, load_demo_contacts)
    add_demo_step(app, load_demo_duties)
    add_demo_step(app, load_demo_accounts)
    app.cli.add_command(audit_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(public_cli)
    app.cli.add_command(search_cli)
