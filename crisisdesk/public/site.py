"""What the public site shows, read into plain values field by field (never whole rows).

Nothing internal reaches these values: no staff names, notes, drafts, reviews or incident
titles; an incident's reference only where the lead chose to show it. A retracted update leaves
only the times of its publication and withdrawal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import and_, select

from ..extensions import db
from ..impersonation.official import public_channels
from ..incidents.models import Incident
from ..library.models import ContentVersion
from ..library.store import get_library
from ..markdown import render_markdown
from ..plaintext import markdown_to_plain
from ..responses.models import Response, ResponseRevision
from .models import PublicNotice
from .notices import CHANNEL

#: a notice whose texts came from no prepared page (written freely, approved by legal)
FALLBACK_TITLES = {"de": "Hinweis von {bank}", "en": "Notice from {bank}"}


@dataclass(frozen=True)
class Update:
    """One published text on a notice."""

    key: str  #: stable and opaque: the feeds' entry id
    language: str
    html: Markup
    text: str  #: the same as plain text (feeds' summaries)
    published_at: datetime
    corrects_at: datetime | None  #: it corrects the update published then
    corrected_at: datetime | None  #: a later update, published then, corrects it


@dataclass(frozen=True)
class Withdrawn:
    """Where a retracted update stood: only when it was published and when it was withdrawn."""

    published_at: datetime
    withdrawn_at: datetime


@dataclass(frozen=True)
class Notice:
    """One incident's public page."""

    public_id: str
    titles: dict  #: language → title
    ref: str | None
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    updates: tuple  #: of Update, newest first
    withdrawn: tuple  #: of Withdrawn, newest first

    @property
    def active(self) -> bool:
        return self.ended_at is None

    def title(self, language: str) -> str:
        """The title in that language: the dark page's, its twin's, or a plain "Notice"."""
        bank = current_app.config["BANK_NAME"]
        fallback = FALLBACK_TITLES.get(language, FALLBACK_TITLES["en"]).format(bank=bank)
        return self.titles.get(language) or fallback

    def entries(self) -> list:
        """Updates and withdrawal lines together, newest first."""
        return sorted(
            [*self.updates, *self.withdrawn],
            key=lambda entry: (
                getattr(entry, "published_at", None)
                if isinstance(entry, Update)
                else entry.withdrawn_at
            ),
            reverse=True,
        )


def load_notices() -> list[Notice]:
    """Every notice with at least one publication, newest activity first."""
    notices = db.session.execute(
        select(
            PublicNotice.id,
            PublicNotice.incident_id,
            PublicNotice.public_id,
            PublicNotice.show_ref,
            PublicNotice.ended_at,
            Incident.ref,
            Incident.status,
            Incident.closed_at,
        ).join(Incident, Incident.id == PublicNotice.incident_id)
    ).all()
    published = _publications([row.incident_id for row in notices])
    result = []
    for row in notices:
        rows = published.get(row.incident_id, [])
        if not rows:
            continue
        ended = row.ended_at or (row.closed_at if row.status == "closed" else None)
        result.append(_notice(row, rows, ended))
    result.sort(key=lambda notice: notice.updated_at, reverse=True)
    return result


def _publications(incident_ids: list[int]) -> dict[int, list]:
    if not incident_ids:
        return {}
    rows = db.session.execute(
        select(
            Response.id,
            Response.incident_id,
            Response.language,
            Response.published_at,
            Response.retracted_at,
            Response.corrects_id,
            ContentVersion.title,
            ContentVersion.slug,
            ResponseRevision.body,
        )
        .join(
            ResponseRevision,
            and_(
                ResponseRevision.response_id == Response.id,
                ResponseRevision.number == Response.revision,
            ),
        )
        .outerjoin(ContentVersion, ContentVersion.id == Response.statement_version_id)
        .where(
            Response.incident_id.in_(incident_ids),
            Response.channel == CHANNEL,
            Response.status == "published",
        )
        .order_by(Response.published_at, Response.id)
    ).all()
    by_incident: dict[int, list] = {}
    for row in rows:
        by_incident.setdefault(row.incident_id, []).append(row)
    return by_incident


def _notice(row, rows: list, ended: datetime | None) -> Notice:
    live = [r for r in rows if r.retracted_at is None]
    published_at = {r.id: r.published_at for r in rows}
    corrected_at = {r.corrects_id: r.published_at for r in live if r.corrects_id}
    updates = tuple(
        Update(
            key=_key(row.public_id, r.id),
            language=r.language,
            html=render_markdown(r.body),
            text=markdown_to_plain(r.body),
            published_at=r.published_at,
            corrects_at=published_at.get(r.corrects_id),
            corrected_at=corrected_at.get(r.id),
        )
        for r in reversed(live)
    )
    withdrawn = tuple(
        Withdrawn(r.published_at, r.retracted_at)
        for r in sorted(rows, key=lambda r: r.retracted_at or r.published_at, reverse=True)
        if r.retracted_at is not None
    )
    moments = [r.published_at for r in rows] + [r.retracted_at for r in rows if r.retracted_at]
    return Notice(
        public_id=row.public_id,
        titles=_titles(rows),
        ref=row.ref if row.show_ref else None,
        started_at=rows[0].published_at,
        updated_at=max(moments),
        ended_at=ended,
        updates=updates,
        withdrawn=withdrawn,
    )


def _titles(rows: list) -> dict:
    # the title of the first prepared text (the dark page), and its twin's in the other language
    titles: dict = {}
    library = get_library()
    for r in rows:
        if r.title and r.language not in titles:
            titles[r.language] = r.title
            statement = library.statements.get(r.slug or "")
            twin = library.statements.get(statement.twin or "") if statement else None
            if twin is not None:
                titles.setdefault(twin.language, twin.title)
    return titles


def _key(public_id: str, response_id: int) -> str:
    digest = hashlib.sha256(f"{public_id}:{response_id}".encode()).hexdigest()[:12]
    return f"{public_id}-{digest}"


def official_channels() -> list[dict]:
    """The bank's active official accounts from the registry: platform, handle, address."""
    return public_channels()
