"""Each user's shift calendar at a secret address: only its hash is kept; a new one ends the old."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.permissions import require_any_role
from ..database import begin_write, get_by_id
from ..extensions import db
from ..timeline import append_event
from .duties import shifts_of
from .ical import shifts_calendar
from .models import CalendarFeed

#: shifts a feed carries (the next ones over every duty)
FEED_SHIFTS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_feed(user) -> bool:
    """Whether the user made a calendar address."""
    return get_by_id(CalendarFeed, user.id) is not None


def rotate_feed(*, actor) -> str:
    """A new secret address for the actor's calendar; the old one stops working. Shown once."""
    begin_write()
    require_any_role(actor)
    token = secrets.token_urlsafe(32)
    feed = get_by_id(CalendarFeed, actor.id) or CalendarFeed(user_id=actor.id)
    feed.token_hash = _hash(token)
    db.session.add(feed)
    append_event("calendar_feed_rotated", actor=actor, data={})
    db.session.commit()
    return token


def user_for_feed(token: str) -> User | None:
    """The active user whose calendar this secret opens, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    user = db.session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _hash(token))
    )
    return user if user is not None and user.active and user.roles else None


def calendar_of(user: User) -> bytes:
    """The user's next shifts over every duty as iCalendar."""
    pairs = [(duty.title, shift) for duty, shift in shifts_of(user.username, count=FEED_SHIFTS)]
    name = f"{current_app.config['BANK_NAME']} · {user.display_name}"
    return shifts_calendar(pairs, calendar_name=name)
