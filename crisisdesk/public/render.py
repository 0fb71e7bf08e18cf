"""Write the public site as files: pages per language, the Atom and JSON feeds, the stylesheet.

The worker calls write_site() after each event that changes what the site shows; the server then
serves the files as they are (serving.py), and so can any web server or CDN. A file is replaced
atomically and only when its bytes change, so an unchanged page keeps its ETag.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from feedgen.feed import FeedGenerator
from flask import current_app
from flask_babel import force_locale

from .site import Notice, load_notices, official_channels

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "public.css"
FEED_SIZE = 50  #: the newest updates a feed carries


def site_dir() -> Path:
    """Where the public files are written (PUBLIC_DIR, default <instance>/public)."""
    return site_dir_of(current_app)


def site_dir_of(app) -> Path:
    """The public folder of a given app (the serving middleware runs outside app contexts)."""
    configured = app.config.get("PUBLIC_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "public"


def language_folder(language: str) -> str:
    """The folder of a language's pages: none for the desk's default language."""
    return "" if language == current_app.config["BABEL_DEFAULT_LOCALE"] else f"{language}/"


def render_site() -> dict[str, bytes]:
    """Every public file: relative path → bytes."""
    notices = load_notices()
    files = {"public.css": STYLESHEET.read_bytes()}
    for language in current_app.config["LANGUAGES"]:
        files.update(_pages(language, notices))
    files["feed.atom"] = _atom(notices)
    files["feed.json"] = _json_feed(notices)
    return files


def write_site(directory: Path | None = None) -> int:
    """Render and write the site; the number of files whose bytes changed."""
    directory = Path(directory or site_dir())
    changed = 0
    for relative, body in render_site().items():
        target = directory / relative
        if target.exists() and target.read_bytes() == body:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)  # readers see the old file or the new one, never half
        changed += 1
    return changed


def _pages(language: str, notices: list[Notice]) -> dict[str, bytes]:
    folder = language_folder(language)
    other = [lang for lang in current_app.config["LANGUAGES"] if lang != language]
    common = {
        "language": language,
        "others": [(lang, language_folder(lang)) for lang in other],
        "prefix": current_app.config["PUBLIC_PREFIX"],
        "folder": folder,
        "bank": current_app.config["BANK_NAME"],
        "when": lambda value: public_time(value, language),
        "zone": current_app.config["TIMEZONE"],
    }
    with force_locale(language):
        pages = {
            f"{folder}index.html": _page(
                "public/index.html", common, "", notices=[n for n in notices if n.active]
            ),
            f"{folder}channels.html": _page(
                "public/channels.html", common, "channels", channels=official_channels()
            ),
        }
        for notice in notices:
            pages[f"{folder}notices/{notice.public_id}.html"] = _page(
                "public/notice.html", common, f"notices/{notice.public_id}", notice=notice
            )
    return pages


def _page(template: str, common: dict, path: str, **values) -> bytes:
    # the bare environment: no context processor may bring a reader's session into a public page
    page = current_app.jinja_env.get_template(template)
    return page.render(path=path, **common, **values).encode("utf-8")


def public_time(value: datetime | None, language: str) -> str:
    """A moment as the public reads it: in the desk's zone, with the zone's name."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    pattern = "d. MMMM y, HH:mm 'Uhr'" if language == "de" else "d MMMM y, HH:mm"
    return format_datetime(value, pattern, tzinfo=zone, locale=language)


def _feed_items(notices: list[Notice]) -> list:
    items = [(notice, update) for notice in notices for update in notice.updates]
    items.sort(key=lambda pair: pair[1].published_at, reverse=True)
    return items[:FEED_SIZE]


def _home() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + current_app.config["PUBLIC_PREFIX"]


def _notice_url(notice: Notice, language: str) -> str:
    return f"{_home()}{language_folder(language)}notices/{notice.public_id}"


def _feed_title() -> str:
    return f"{current_app.config['BANK_NAME']}: Hinweise / Notices"


def _newest(notices: list[Notice]) -> datetime | None:
    return max((notice.updated_at for notice in notices), default=None)


def _atom(notices: list[Notice]) -> bytes:
    feed = FeedGenerator()
    feed.id(_home())
    feed.title(_feed_title())
    feed.author({"name": current_app.config["BANK_NAME"]})
    feed.link(href=_home(), rel="alternate")
    feed.link(href=f"{_home()}feed.atom", rel="self")
    feed.language(current_app.config["BABEL_DEFAULT_LOCALE"])
    # the newest change, not the render time: an unchanged site renders the same bytes
    feed.updated(_newest(notices) or datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))
    for notice, update in reversed(_feed_items(notices)):
        entry = feed.add_entry()
        entry.id(f"{_notice_url(notice, update.language)}#{update.key}")
        entry.title(notice.title(update.language))
        entry.link(href=_notice_url(notice, update.language), rel="alternate")
        entry.published(update.published_at)
        entry.updated(update.published_at)
        entry.content(str(update.html), type="html")
    return feed.atom_str(pretty=True)


def _json_feed(notices: list[Notice]) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(),
        "home_page_url": _home(),
        "feed_url": f"{_home()}feed.json",
        "language": current_app.config["BABEL_DEFAULT_LOCALE"],
        "authors": [{"name": current_app.config["BANK_NAME"]}],
        "items": [
            {
                "id": f"{_notice_url(notice, update.language)}#{update.key}",
                "url": _notice_url(notice, update.language),
                "title": notice.title(update.language),
                "content_html": str(update.html),
                "content_text": update.text,
                "date_published": update.published_at.isoformat(),
                "language": update.language,
            }
            for notice, update in _feed_items(notices)
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
