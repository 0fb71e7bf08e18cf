"""Content versions in the database, recorded inside the caller's transaction (it commits)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from ..timeline import append_event
from .content import ContentFile, DrillScript, Playbook, QaSheet
from .models import ContentVersion
from .store import get_library


def kind_of(item: ContentFile) -> str:
    """The kind a content file is stored as."""
    if isinstance(item, Playbook):
        return "playbook"
    if isinstance(item, QaSheet):
        return "qa"
    return "drill" if isinstance(item, DrillScript) else "statement"


def stored_version(item: ContentFile) -> ContentVersion | None:
    """The stored row of this exact file version, if there is one."""
    return db.session.scalar(
        select(ContentVersion).where(
            ContentVersion.kind == kind_of(item),
            ContentVersion.slug == item.slug,
            ContentVersion.sha256 == item.sha256,
        )
    )


def record_versions(items: Iterable[ContentFile]) -> list[ContentVersion]:
    """Store the versions of `items` not yet stored and say so on the timeline; return the new rows.

    Each row goes in with INSERT … ON CONFLICT DO NOTHING on (kind, slug, sha256): when two
    processes record one version at once, one inserts it and the other (on PostgreSQL after the
    first commits) skips it, so its event names only the rows its own transaction added.
    """
    wanted = {(kind_of(item), item.slug, item.sha256): item for item in items}
    if not wanted:
        return []
    known = set(
        db.session.execute(
            select(ContentVersion.kind, ContentVersion.slug, ContentVersion.sha256).where(
                ContentVersion.sha256.in_({sha256 for _kind, _slug, sha256 in wanted})
            )
        ).all()
    )
    # one order for every writer: two transactions inserting the same rows never wait on each other
    missing = sorted(key for key in wanted if key not in known)
    if not missing:
        return []
    now = clock.now()
    rows = [
        {
            "kind": kind,
            "slug": slug,
            "language": wanted[(kind, slug, sha256)].language,
            "sha256": sha256,
            "path": wanted[(kind, slug, sha256)].path,
            "title": wanted[(kind, slug, sha256)].title,
            "text": wanted[(kind, slug, sha256)].text,
            "first_seen_at": now,
        }
        for kind, slug, sha256 in missing
    ]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ContentVersion.__table__
    ids = (
        db.session.execute(
            insert(table)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[table.c.kind, table.c.slug, table.c.sha256])
            .returning(table.c.id)
        )
        .scalars()
        .all()
    )
    if not ids:
        return []
    new = list(
        db.session.scalars(
            select(ContentVersion).where(ContentVersion.id.in_(ids)).order_by(ContentVersion.id)
        )
    )
    append_event(
        "content_synced",
        actor=None,
        data={
            "versions": [
                {"kind": version.kind, "slug": version.slug, "sha256": version.sha256}
                for version in new
            ]
        },
    )
    return new


def version_row(item: ContentFile) -> ContentVersion:
    """The stored row of this exact file version; if new, the library's new versions are recorded
    with it (the caller commits)."""
    version = stored_version(item)
    if version is None:
        library = get_library()
        record_versions([item, *library.versioned()])
        version = stored_version(item)
    return version
