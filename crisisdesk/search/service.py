"""Search everything said in the incidents a reader may see; and "have we said this before?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import case, column, func, literal_column, select, table, text

from ..errors import Invalid
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import require_reader, visible_clause
from ..incidents.queries import get_incident
from ..readcache import remembered
from ..responses.models import Response, ResponseRevision
from ..timeline.scopes import INCIDENTS, PEOPLE
from .models import POSTGRES_VECTOR, SearchEntry
from .terms import MAX_QUERY_LENGTH, fts5_query, query_words, snippet, tsquery

#: deeper pages are not offered: a reader narrows the query instead
MAX_OFFSET = 1000
#: "have we said this before?" reads this many of the best matches, then shows the newest
SIMILAR_POOL = 50
#: entries ranked beyond the page asked for, so a few hidden ones need no second query
POOL_SLACK = 20

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
    """The best matches first (then the latest written), `limit` from `offset`, in visible
    incidents."""
    require_reader(actor)
    words = words_of(query)
    if not 0 <= offset <= MAX_OFFSET:
        raise Invalid("bad_cursor", _("The cursor is not valid; start again without it."), "cursor")
    # kept per reader under the heads of every incident and of the people: each text, its
    # incident's restriction and membership is written with an incident's event, and the
    # reader's roles with a person's; so the next change is a new key, never a stale answer
    return remembered(
        ("search", actor.id, tuple(words), limit, offset),
        lambda: _search(words, actor, limit, offset),
        scopes=(INCIDENTS, PEOPLE),
    )


def _search(words, actor, limit: int, offset: int) -> list[Hit]:
    wanted = offset + limit
    # rank in the index alone, then look up only the best: the lookups are most of the cost.
    # The pool is a prefix of the whole ranking, so the page is exact; it grows when hidden
    # (restricted) texts leave it short.
    pool = wanted + POOL_SLACK
    while True:
        rows = db.session.execute(_pooled(words, actor, pool)).all()
        shown = [row for row in rows if row.visible]
        if len(shown) >= wanted or len(rows) < pool:
            break
        pool *= 4
    seen: dict = {}
    return [_hit(row, words, seen) for row in shown[offset:wanted]]


def said_before(incident_id, query, *, actor, limit: int = 10) -> list[Hit]:
    """Published texts from other incidents like `query` (a draft's words), newest first."""
    incident_id = get_incident(incident_id, actor=actor).id
    words = words_of(query)
    ranked = _ranked(words, any_word=True)
    published = (
        _found(ranked)
        .join(ResponseRevision, ResponseRevision.id == SearchEntry.source_id)
        .join(Response, Response.id == ResponseRevision.response_id)
        .where(
            SearchEntry.kind == "response",
            SearchEntry.incident_id != incident_id,
            Response.published_at.is_not(None),
            ResponseRevision.number == Response.approved_revision,
            visible_clause(actor),
        )
        .limit(SIMILAR_POOL)
    )
    seen: dict = {}
    hits = [_hit(row, words, seen) for row in db.session.execute(published)]
    return sorted(hits, key=lambda hit: (hit.at, hit.entry_id), reverse=True)[:limit]


def _ranked(words, *, any_word: bool = False, pool: int | None = None):
    """(id, score) of the matching entries, best (lowest score) first, at most `pool`."""
    if db.engine.dialect.name == "postgresql":
        vector = literal_column(POSTGRES_VECTOR)
        asked = func.to_tsquery(
            literal_column("'simple'::regconfig"), tsquery(words, any_word=any_word)
        )
        score = (-func.ts_rank(vector, asked)).label("score")
        ranked = select(SearchEntry.id.label("id"), score).where(vector.op("@@")(asked))
        ranked = ranked.order_by(score, SearchEntry.id.desc())
    else:
        score = literal_column("bm25(search_fts)").label("score")
        asked = fts5_query(words, any_word=any_word)
        ranked = (
            select(_FTS.c.rowid.label("id"), score)
            .where(text("search_fts MATCH :asked").bindparams(asked=asked))
            .order_by(score, _FTS.c.rowid.desc())
        )
    return (ranked.limit(pool) if pool is not None else ranked).subquery("ranked")


def _found(ranked, *extra):
    return (
        select(
            SearchEntry.id,
            SearchEntry.incident_id,
            Incident.ref,
            Incident.title,
            SearchEntry.kind,
            SearchEntry.text,
            SearchEntry.at,
            SearchEntry.source_id,
            *extra,
        )
        .select_from(ranked)
        .join(SearchEntry, SearchEntry.id == ranked.c.id)
        .join(Incident, Incident.id == SearchEntry.incident_id)
        .order_by(ranked.c.score, ranked.c.id.desc())
    )


def _pooled(words, actor, pool: int):
    # every entry of the pool, each saying whether the reader may see it
    ranked = _ranked(words, pool=pool)
    return _found(ranked, case((visible_clause(actor), True), else_=False).label("visible"))


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
