"""The database refuses changes to the rows the timeline
speaks of; verify reads the catalog for the triggers.

Rows whose every change is an event are append-only like the events themselves: a revision's text, a
review, a content version never change; a sign-off only gets its expiry noted; incidents and
responses change (each change an event) but are never deleted. The migration creates the same
triggers; tests get them from create_all() through the after_create hooks below.
"""

from __future__ import annotations

from sqlalchemy import DDL, event, text

from ..incidents.models import Incident
from ..library.models import ContentVersion, StatementApproval
from ..regulatory.models import Submission
from ..responses.models import Response, ResponseRevision, Review

#: table → operations refused outright (statement_approval's
#: UPDATE is checked column by column instead)
REFUSED = {
    "response_revision": ("UPDATE", "DELETE"),
    "response_review": ("UPDATE", "DELETE"),
    "content_version": ("UPDATE", "DELETE"),
    "statement_approval": ("DELETE",),
    "incident": ("DELETE",),
    "response": ("DELETE",),
    "regulatory_submission": ("UPDATE", "DELETE"),
}
#: the one column of statement_approval the worker sets after the fact
EXPIRY_COLUMN = "expiry_recorded_at"
#: the event table's own triggers (timeline/models.py), per dialect
EVENT_TRIGGERS = {
    "sqlite": [
        ("timeline_event", "timeline_event_no_update"),
        ("timeline_event", "timeline_event_no_delete"),
    ],
    "postgresql": [("timeline_event", "timeline_event_append_only")],
}


def _message(operation: str, table: str) -> str:
    return f"{operation} on {table} refused: the timeline records these rows"


def trigger_name(table: str, operation: str) -> str:
    """The trigger guarding `operation` on `table` (the same name on both databases)."""
    return f"{table}_no_{operation.lower()}"


def expected_triggers(dialect: str) -> list[tuple[str, str]]:
    """(table, trigger) pairs that must exist on this database."""
    pairs = list(EVENT_TRIGGERS.get(dialect, []))
    for table, operations in REFUSED.items():
        pairs += [(table, trigger_name(table, operation)) for operation in operations]
    pairs.append(("statement_approval", trigger_name("statement_approval", "UPDATE")))
    return sorted(pairs)


def sqlite_statements(table: str, approval_columns: list[str]) -> list[str]:
    """CREATE TRIGGER statements for one table on SQLite
    (`approval_columns`: statement_approval's columns).
    """
    statements = [
        f"CREATE TRIGGER {trigger_name(table, op)} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(op, table)}'); END"
        for op in REFUSED[table]
    ]
    if table == "statement_approval":
        # UPDATE OF fires whenever one of these columns is
        # set, changed or not; the worker sets only the expiry
        guarded = ", ".join(column for column in approval_columns if column != EXPIRY_COLUMN)
        statements.append(
            f"CREATE TRIGGER {trigger_name(table, 'UPDATE')} BEFORE UPDATE OF {guarded} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{_message('UPDATE', table)}'); END"
        )
    return statements


# No '%' in these bodies: DDL() would read it as a format, the driver as a parameter.
PG_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION crisisdesk_refuse_change() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME "
    "|| ' refused: the timeline records these rows'; END; $$ LANGUAGE plpgsql",
    # every column but the expiry compared at once, so a column added later is guarded too
    "CREATE OR REPLACE FUNCTION statement_approval_expiry_only() RETURNS trigger AS $$ "
    f"BEGIN IF (to_jsonb(NEW) - '{EXPIRY_COLUMN}') "
    f"IS DISTINCT FROM (to_jsonb(OLD) - '{EXPIRY_COLUMN}') THEN "
    "RAISE EXCEPTION USING MESSAGE = "
    "'UPDATE on statement_approval refused: the timeline records these rows'; "
    "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
]


def postgres_statements(table: str) -> list[str]:
    """CREATE TRIGGER statements for one table on PostgreSQL (after PG_FUNCTIONS)."""
    statements = [
        f"CREATE TRIGGER {trigger_name(table, op)} BEFORE {op} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION crisisdesk_refuse_change()"
        for op in REFUSED[table]
    ]
    if table == "statement_approval":
        statements.append(
            f"CREATE TRIGGER {trigger_name(table, 'UPDATE')} BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION statement_approval_expiry_only()"
        )
    return statements


def missing_triggers(connection) -> list[str]:
    """Names of the guarding triggers this database
    lacks (or has switched off), from its catalog.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        present = set(
            connection.execute(
                text(
                    "SELECT c.relname, t.tgname "
                    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_table_is_visible(c.oid)"
                )
            ).all()
        )
    else:
        present = set(
            connection.execute(
                text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
        )
    return [name for table, name in expected_triggers(dialect) if (table, name) not in present]


def _attach() -> None:
    approval_columns = [column.name for column in StatementApproval.__table__.columns]
    for model in (
        ResponseRevision,
        Review,
        ContentVersion,
        StatementApproval,
        Incident,
        Response,
        Submission,
    ):
        table = model.__table__
        for statement in sqlite_statements(table.name, approval_columns):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
        for statement in PG_FUNCTIONS + postgres_statements(table.name):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


_attach()
