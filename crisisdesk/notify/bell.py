"""The bell: a user's notes, what is unread, marking them read, and the mail choices per kind."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from .. import clock
from ..database import begin_write
from ..extensions import db
from ..incidents.models import Incident
from ..readcache import light_row
from ..timeline import append_event
from ..timeline.models import TimelineEvent
from .models import MailPreference, Notification
from .outbox import MAIL_KINDS


def set_mail_preferences(*, actor, enabled: set[str]) -> None:
    """Choose which kinds of notification come by mail."""
    begin_write()
    for kind in MAIL_KINDS:
        row = db.session.get(MailPreference, (actor.id, kind))
        if row is None:
            db.session.add(MailPreference(user_id=actor.id, kind=kind, mail=kind in enabled))
        else:
            row.mail = kind in enabled
    append_event(
        "mail_preferences_changed",
        actor=actor,
        data={"mail": sorted(set(enabled) & set(MAIL_KINDS))},
    )
    db.session.commit()


def mail_preferences(user) -> dict[str, bool]:
    """The user's mail choice per kind."""
    rows = {
        row.kind: row.mail
        for row in db.session.scalars(
            select(MailPreference).where(MailPreference.user_id == user.id)
        )
    }
    return {kind: rows.get(kind, True) for kind in MAIL_KINDS}


def unread_count(user) -> int:
    """How many notes under the bell are unread (committed ones: the bell is on every page, so it is
    read on the light connection, not in the request's transaction)."""
    return light_row(
        f"SELECT count(*) FROM {Notification.__tablename__} WHERE user_id = ? AND read_at IS NULL",
        (user.id,),
    )[0]


@dataclass
class Bell:
    """The bell page: the user's latest notes, the events they tell of, the mail choices."""

    notes: list[Notification]
    events: dict[int, TimelineEvent]  #: by sequence number
    mail: dict[str, bool]
    drills: frozenset = frozenset()  #: ids of the notes' incidents that are drills


def bell(user, limit: int = 50) -> Bell:
    """The user's latest notes with their events (one query for all) and mail choices."""
    notes = notifications(user, limit)
    seqs = {note.event_seq for note in notes}
    events = (
        {
            event.seq: event
            for event in db.session.scalars(
                select(TimelineEvent).where(TimelineEvent.seq.in_(seqs))
            )
        }
        if seqs
        else {}
    )
    incident_ids = {note.incident_id for note in notes if note.incident_id}
    drills = (
        frozenset(
            db.session.scalars(
                select(Incident.id).where(Incident.id.in_(incident_ids), Incident.drill.is_(True))
            )
        )
        if incident_ids
        else frozenset()
    )
    return Bell(notes, events, mail_preferences(user), drills)


def notifications(user, limit: int = 50) -> list[Notification]:
    """The user's latest notes."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user) -> int:
    """Mark the user's notes read (no timeline event: reading changes no state of the desk)."""
    begin_write()
    count = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count
