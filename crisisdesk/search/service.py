"""Search everything said in the incidents a reader may see; and "have we said this before?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import column, func, literal_column, select, table, text

from ..errors import Invalid
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import require_reader, visible_clause
from ..incidents.queries import get_incident
from ..responses.models import Response, ResponseRevision
from .models import POSTGRES_VECTOR, SearchEntry
from .terms import MAX_QUERY_LENGTH, fts5_query, query_words, snippet, tsquery

#: deeper pages are not offered: a reader narrows the query instead
MAX_OFFSET = 1000
#: "have we said this before?" reads this many of the best matches, then shows the newest
SIMILAR_POOL = 50

_FTS = table("search_fts", column("rowid"))


@dataclass(frozen=True)
class Hit:
    """One text found: where it is, what it is, the words around the match."""

    entry_id: int
    incident_id: int
    ref: str
    title: str
    kind: str
    snippet: Markup
    at: datetime
    source_id: int


def require_searcher(actor) -> None:
    """Everyone who may read incidents may search them (and finds only what they may read)."""
    require_reader(actor)


def words_of(query, field: str = "q") -> list[tuple[str, ...]]:
    """The query's words as stems, or Invalid naming what is wrong with it."""
    if not isinstance(query, str) or len(query) > MAX_QUERY_LENGTH:
        raise Invalid(
            "bad_query",
            _("Search for at most %(max)d characters.", max=MAX_QUERY_LENGTH),
            field=field,
        )
    words = query_words(query)
    if not words:
        raise Invalid("bad_query", _("Type at least one word to search for."), field=field)
    return words


def search(query, *, actor, limit: int = 20, offset: int = 0) -> list[Hit]:
    """The best matches first (then the newest), `limit` from `offset`, in visible incidents."""
    require_reader(actor)
    words = words_of(query)
    if not 0 <= offset <= MAX_OFFSET:
        raise Invalid("bad_cursor", _("The cursor is not valid; start again without it."), "cursor")
    found = _matching(words, actor).limit(limit).offset(offset)
    seen: dict = {}
    return [_hit(row, words, seen) for row in db.session.execute(found)]


def said_before(incident_id, query, *, actor, limit: int = 10) -> list[Hit]:
    """Published texts from other incidents like `query` (a draft's words), newest first."""
    incident_id = get_incident(incident_id, actor=actor).id
    words = words_of(query)
    published = (
        _matching(words, actor, any_word=True)
        .join(ResponseRevision, ResponseRevision.id == SearchEntry.source_id)
        .join(Response, Response.id == ResponseRevision.response_id)
        .where(
            SearchEntry.kind == "response",
            SearchEntry.incident_id != incident_id,
            Response.published_at.is_not(None),
            ResponseRevision.number == Response.approved_revision,
        )
        .limit(SIMILAR_POOL)
    )
    seen: dict = {}
    hits = [_hit(row, words, seen) for row in db.session.execute(published)]
    return sorted(hits, key=lambda hit: (hit.at, hit.entry_id), reverse=True)[:limit]


def _matching(words, actor, *, any_word: bool = False):
    chosen = select(
        SearchEntry.id,
        SearchEntry.incident_id,
        Incident.ref,
        Incident.title,
        SearchEntry.kind,
        SearchEntry.text,
        SearchEntry.at,
        SearchEntry.source_id,
    )
    if db.engine.dialect.name == "postgresql":
        vector = literal_column(POSTGRES_VECTOR)
        asked = func.to_tsquery(
            literal_column("'simple'::regconfig"), tsquery(words, any_word=any_word)
        )
        chosen = chosen.where(vector.op("@@")(asked)).order_by(func.ts_rank(vector, asked).desc())
    else:
        chosen = (
            chosen.select_from(_FTS)
            .join(SearchEntry, SearchEntry.id == _FTS.c.rowid)
            .where(
                text("search_fts MATCH :asked").bindparams(
                    asked=fts5_query(words, any_word=any_word)
                )
            )
            .order_by(text("bm25(search_fts)"))
        )
    return (
        chosen.join(Incident, Incident.id == SearchEntry.incident_id)
        .where(visible_clause(actor))
        .order_by(SearchEntry.at.desc(), SearchEntry.id.desc())
    )


def _hit(row, words, seen: dict) -> Hit:
    return Hit(
        entry_id=row.id,
        incident_id=row.incident_id,
        ref=row.ref,
        title=row.title,
        kind=row.kind,
        snippet=snippet(row.text, words, seen=seen),
        at=row.at,
        source_id=row.source_id,
    )
