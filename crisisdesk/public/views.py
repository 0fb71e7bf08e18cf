"""The public site's fallback route: a page the worker has not written yet is written now.

Served files never reach this blueprint (serving.PublicFiles answers them first); it sees only
paths with no file behind them: the site before its first rendering, a notice published a moment
ago, or an address that does not exist (404, in the public site's own look, without a session).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from .models import PublicNotice
from .render import language_folder, site_dir, write_site
from .serving import PUBLIC_HEADERS, file_answer, read_public_file, relative_file

bp = Blueprint("public", __name__)


@bp.get("/", defaults={"rest": ""})
@bp.get("/<path:rest>")
def page(rest: str):
    """A public file that was missing on disk: render the site if it should exist, else 404."""
    relative = relative_file(rest)
    if relative is None:
        return _not_found(rest)
    path = site_dir() / relative
    if read_public_file(path) is None and _should_exist(relative):
        write_site()
    found = read_public_file(path)
    if found is None:
        return _not_found(rest)
    cache_control = f"public, max-age={int(current_app.config['PUBLIC_MAX_AGE'])}"
    status, headers, body = file_answer(found, request.environ, cache_control)
    return Response(body, status=status, headers=headers)


def _should_exist(relative: str) -> bool:
    # the fixed files exist once the site is written; a notice page once its notice exists
    parts = relative.split("/")
    if parts[0] in current_app.config["LANGUAGES"]:
        parts = parts[1:]
    if len(parts) == 2 and parts[0] == "notices":
        public_id = parts[1].removesuffix(".html")
        return (
            db.session.scalar(select(PublicNotice.id).where(PublicNotice.public_id == public_id))
            is not None
        )
    return len(parts) == 1


def _not_found(rest: str) -> Response:
    first = rest.split("/", 1)[0]
    language = first if first in current_app.config["LANGUAGES"] else None
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        html = current_app.jinja_env.get_template("public/not_found.html").render(
            language=language,
            others=[
                (other, language_folder(other))
                for other in current_app.config["LANGUAGES"]
                if other != language
            ],
            prefix=current_app.config["PUBLIC_PREFIX"],
            folder=language_folder(language),
            bank=current_app.config["BANK_NAME"],
            zone=current_app.config["TIMEZONE"],
            path="",
        )
    return Response(html, status=404, headers=[*PUBLIC_HEADERS], mimetype="text/html")
