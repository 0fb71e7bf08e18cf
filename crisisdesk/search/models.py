"""The search index: one row per thing said, its terms matched by each database's own engine."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime
from ..extensions import db

#: what an entry comes from; source_id is that row's id (the incident's for "incident")
KINDS = ("incident", "note", "response", "source", "postmortem")


class SearchEntry(db.Model):
    """One searchable text of an incident, written in the transaction that wrote the text."""

    __tablename__ = "search_entry"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", name="uq_search_entry_source"),
        Index("ix_search_entry_incident", "incident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the text as written, for the snippet
    text: Mapped[str] = mapped_column(Text)
    #: terms.index_terms(text): what the full-text index holds
    terms: Mapped[str] = mapped_column(Text)


#: FTS5 reads the terms from search_entry; the triggers keep it in step in the same transaction
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_entry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')",
    "CREATE TRIGGER search_entry_added AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_entry_removed AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_entry_changed AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
#: the 'simple' configuration only splits and lower-cases: the stemming was done in Python
POSTGRES_DDL = [
    "CREATE INDEX ix_search_entry_terms ON search_entry "
    "USING gin (to_tsvector('simple'::regconfig, terms))"
]
#: the query's side of that index: the planner uses it only for this exact expression
POSTGRES_VECTOR = "to_tsvector('simple'::regconfig, search_entry.terms)"


def outside_models(name: str, type_: str) -> bool:
    """Whether a table or index is the full-text engine's (no model; the migration makes it)."""
    if type_ == "table":
        return name == "search_fts" or name.startswith("search_fts_")
    return type_ == "index" and name == "ix_search_entry_terms"


# create_all() in the tests builds what the migration builds
for _statement in SQLITE_DDL:
    event.listen(
        SearchEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in SQLITE_DROP:
    event.listen(SearchEntry.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_DDL:
    event.listen(
        SearchEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
