"""Counting what reaches the database: commits of the session, statements sent."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from crisisdesk.extensions import db


@contextmanager
def counted_commits(before_commit=None):
    """Yield a list that gets one entry per COMMIT the app's engine sends (a savepoint's release is
    none); `before_commit()` runs just before each, while the transaction still holds its locks."""
    commits: list[int] = []

    def on_commit(_connection):
        if before_commit is not None:
            before_commit()
        commits.append(1)

    event.listen(db.engine, "commit", on_commit)
    try:
        yield commits
    finally:
        event.remove(db.engine, "commit", on_commit)


@contextmanager
def counted_statements():
    """Yield a list that gets one entry per SQL statement the app's engine sends."""
    statements: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
