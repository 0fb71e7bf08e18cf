"""The offline bundle's pages: what the desk knows, rendered once per language as static HTML.

Every page links relatively and loads nothing but the one style sheet next to it, so the bundle
opens from a USB stick or a file share with no server, no network and no JavaScript.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from ..library.content import PHASES, Playbook, QaSheet, Statement
from ..library.loader import POLICY_FILE
from ..library.placeholders import DESK_VALUES, MARKER, markers
from ..markdown import render_markdown
from .offline_people import contact_groups
from .signing import PublicKey

LANGUAGES = ("de", "en")
#: numeric, unambiguous: the reader may be anywhere, the zone is named beside each time
TIME_PATTERNS = {"de": ("%d.%m.%Y %H:%M", "%d.%m.%Y"), "en": ("%Y-%m-%d %H:%M", "%Y-%m-%d")}
_TOKEN = re.compile(r"CDOFFLINEMARK(\d+)X")


@dataclass
class Content:
    """Everything the pages show, read once when the bundle is made (see offline.gather)."""

    made_at: datetime
    bank: str
    playbooks: list[Playbook]
    statements: list[Statement]  #: dark pages included (statement.dark)
    states: dict  #: slug → library.service.ApprovalState when the bundle was made
    policy: dict  #: language → severity → [Step]
    reasoning: str  #: the shared policy's reasons, from the comments of escalation.yaml
    contacts: list[dict] | None = None  #: None: not chosen
    rotas: list[dict] | None = None  #: None: not chosen
    qa: list[QaSheet] = field(default_factory=list)  #: states holds their approval too


def page_path(language: str, kind: str, slug: str = "") -> str:
    """Where a page lives inside the bundle."""
    if kind in ("playbooks", "statements", "dark", "qa"):
        return f"{language}/{kind}/{slug}.html"
    return f"{language}/{kind}.html"


def statement_kind(statement: Statement) -> str:
    """The folder of a statement's page: dark pages apart from the statements."""
    return "dark" if statement.dark else "statements"


def render_pages(content: Content, key: PublicKey) -> dict[str, bytes]:
    """Every page and the style sheet, by path; the caller adds public key and manifest."""
    files = {"style.css": render_template("offline/style.css").encode()}
    welcome = []
    for language in LANGUAGES:
        with force_locale(language):
            pages = _language_pages(content, key, language)
            files.update({path: html.encode() for path, html in pages.items()})
            welcome.append(_render("index.html", "_welcome.html", content, key, language))
    files["index.html"] = render_template(
        "offline/index.html", parts=[Markup(part) for part in welcome], bank=content.bank
    ).encode()
    return files


def _language_pages(content: Content, key: PublicKey, language: str) -> dict[str, str]:
    mine = [p for p in content.playbooks if p.language == language]
    said = [s for s in content.statements if s.language == language]
    sheets = [q for q in content.qa if q.language == language]
    pages = {
        page_path(language, "index"): (
            "home.html",
            {"playbooks": mine, "statements": said, "sheets": sheets},
        ),
        page_path(language, "escalation"): ("escalation.html", {}),
        page_path(language, "search"): ("search.html", _index(content, language)),
    }
    for playbook in mine:
        pages[page_path(language, "playbooks", playbook.slug)] = (
            "playbook.html",
            {
                "playbook": playbook,
                "phases": _phases(playbook),
                "steps": sorted(playbook.escalation.items()),
            },
        )
    for statement in said:
        pages[page_path(language, statement_kind(statement), statement.slug)] = (
            "statement.html",
            {
                "statement": statement,
                "body": statement_html(statement),
                "desk_values": _desk_values(statement),
            },
        )
    for sheet in sheets:
        pages[page_path(language, "qa", sheet.slug)] = ("qa.html", {"sheet": sheet})
    if content.contacts is not None:
        pages[page_path(language, "contacts")] = (
            "contacts.html",
            {"groups": contact_groups(content.contacts)},
        )
    if content.rotas is not None:
        pages[page_path(language, "rotas")] = ("rotas.html", {})
    return {
        path: _render(path, template, content, key, language, **extra)
        for path, (template, extra) in pages.items()
    }


def _render(path, template, content, key, language, **extra) -> str:
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Europe/Berlin"))
    at_pattern, day_pattern = TIME_PATTERNS[language]

    def href(target: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(path) or ".")

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime(at_pattern) if value else ""

    def day(value: date | None) -> str:
        return value.strftime(day_pattern) if value else ""

    return render_template(
        f"offline/{template}",
        content=content,
        key=key,
        lang=language,
        other=[other for other in LANGUAGES if other != language],
        path=path,
        href=href,
        when=when,
        day=day,
        zone=str(zone),
        made=when(content.made_at),
        link=lambda item: href(page_path(item.language, _kind(item), item.slug)),
        by_slug={s.slug: s for s in [*content.playbooks, *content.statements, *content.qa]},
        page_path=page_path,
        **extra,
    )


def _kind(item) -> str:
    if isinstance(item, QaSheet):
        return "qa"
    return "playbooks" if isinstance(item, Playbook) else statement_kind(item)


def policy_reasoning() -> str:
    """The comment block heading escalation.yaml: the reasons for the shared timings."""
    path = Path(current_app.config["CONTENT_DIR"]) / POLICY_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    reasons = []
    for line in lines:
        if not line.startswith("#"):
            break
        reasons.append(line[1:].removeprefix(" "))
    return "\n".join(reasons).strip()


def _phases(playbook: Playbook) -> list[tuple[str, list]]:
    """The checklist under its phases, in the order they come (not alphabetically)."""
    order = {phase: number for number, phase in enumerate(PHASES)}
    groups: dict[str, list] = {}
    for item in playbook.checklist:
        groups.setdefault(item.phase, []).append(item)
    return sorted(groups.items(), key=lambda pair: order.get(pair[0], -1))


def _desk_values(statement: Statement) -> dict[str, str]:
    """The markers of this statement the desk fills in itself, with the value it uses."""
    used = {name for name, _offset in markers(statement.body)}
    values = {"bank_name": current_app.config.get("BANK_NAME", "")}
    return {name: values.get(name, "") for name in DESK_VALUES if name in used}


def statement_html(statement: Statement) -> Markup:
    """The statement rendered, each `{{ name }}` marker left visible and marked."""
    names: list[str] = []

    def hold(match: re.Match) -> str:
        names.append(match.group(1))
        return f"CDOFFLINEMARK{len(names) - 1}X"

    html = str(render_markdown(MARKER.sub(hold, statement.body)))

    def plain(match: re.Match) -> str:
        return str(escape("{{ " + names[int(match.group(1))] + " }}"))

    # inside a tag (say a link's address) the marker stays plain text; elsewhere it is marked
    html = re.sub(r"<[^>]*>", lambda tag: _TOKEN.sub(plain, tag.group(0)), html)
    html = _TOKEN.sub(lambda m: f'<mark class="ph">{plain(m)}</mark>', html)
    return Markup(html)


def _index(content: Content, language: str) -> dict:
    """The search page's lists: every page A–Z, and each keyword with the pages it leads to."""
    pages = [
        (item.title, page_path(language, _kind(item), item.slug), _kind(item))
        for item in [*content.playbooks, *content.statements, *content.qa]
        if item.language == language
    ]
    keywords: dict[str, list] = {}
    for playbook in content.playbooks:
        if playbook.language != language:
            continue
        target = (playbook.title, page_path(language, "playbooks", playbook.slug))
        for word in [*playbook.triggers, *playbook.contacts]:
            keywords.setdefault(word.strip(), []).append(target)
    return {
        "pages": _by_letter(sorted(pages, key=lambda page: page[0].casefold())),
        "keywords": _by_letter(
            sorted(keywords.items(), key=lambda pair: pair[0].casefold()), skip_empty=True
        ),
    }


def _by_letter(entries: list, skip_empty: bool = False) -> list[tuple[str, list]]:
    """(letter, entries) groups, in order, for the letter links at the top of the index."""
    groups: dict[str, list] = {}
    for entry in entries:
        if skip_empty and not entry[0]:
            continue
        first = entry[0][:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(entry)
    return list(groups.items())
