"""The worker's part: rewrite the public files after any event that changes what they show."""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..database import begin_write, insert_ignore
from ..extensions import db
from ..timeline.models import TimelineEvent
from .models import PublicSiteState
from .render import site_dir, write_site

#: the events after which a public page or feed may read differently
KINDS = (
    "response_published",
    "response_retracted",
    "public_notice_opened",
    "public_notice_changed",
    "status_changed",
    "official_account_added",
    "official_account_changed",
)


def refresh_site() -> bool:
    """Write the site if an event since the last writing changed it; whether it was written.

    The files are written outside any transaction from what is committed after the seen event,
    so two workers may both write (the same files, atomically) but none writes an older state.
    """
    rendered = db.session.scalar(
        select(PublicSiteState.rendered_seq).where(PublicSiteState.id == 1)
    )
    if rendered is None:
        db.session.rollback()
        begin_write()
        insert_ignore(PublicSiteState, "id", id=1, rendered_seq=0)
        db.session.commit()
        rendered = 0
    newest = db.session.scalar(select(func.max(TimelineEvent.seq))) or 0
    changed = db.session.scalar(
        select(TimelineEvent.seq)
        .where(TimelineEvent.seq > rendered, TimelineEvent.kind.in_(KINDS))
        .limit(1)
    )
    db.session.rollback()
    if changed is None and (site_dir() / "index.html").exists():
        if newest > rendered:
            _mark(newest)  # nothing public changed: the next look starts after these events
        return False
    write_site()
    _mark(newest)
    return True


def _mark(seq: int) -> None:
    begin_write()
    db.session.execute(
        update(PublicSiteState)
        .where(PublicSiteState.id == 1, PublicSiteState.rendered_seq < seq)
        .values(rendered_seq=seq)
    )
    db.session.commit()
