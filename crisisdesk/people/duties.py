"""Duties and their rotas: who is on duty when, overrides with reasons, each change an event.

Management and administrators set duties up; a duty's members and its keepers record overrides
(a holiday swap is arranged between the people on the rota).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, values
from ..accounts.permissions import require_any_role, require_role
from ..accounts.service import find_user
from ..database import begin_write
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from .models import Duty, DutyOverride
from .rotation import PERIODS, Override, Rotation, Shift, gaps, next_shifts, on_duty

EDITORS = ("management", "admin")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
HANDOVER = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MEMBERS_MAX = 30
#: how far ahead gaps are shown, and how long an override may run
LOOK_AHEAD = timedelta(days=14)
OVERRIDE_LONGEST = timedelta(days=60)


def rotation_of(duty: Duty) -> Rotation:
    """The duty's rota as the arithmetic takes it."""
    return Rotation(
        period=duty.period,
        members=tuple(json.loads(duty.members)),
        start=duty.starts_on,
        handover=time.fromisoformat(duty.handover),
        zone=ZoneInfo(duty.zone),
    )


def overrides_of(duty: Duty) -> list[Override]:
    """The duty's overrides in the order they were entered (the later wins where they overlap)."""
    rows = db.session.scalars(
        select(DutyOverride).where(DutyOverride.duty_id == duty.id).order_by(DutyOverride.id)
    )
    return [Override(row.user.username, row.starts, row.ends, row.reason) for row in rows]


def all_duties() -> list[Duty]:
    """Every duty by title (the caller checked the reader)."""
    return list(db.session.scalars(select(Duty).order_by(Duty.title, Duty.id)))


def list_duties(*, actor) -> list[Duty]:
    """Every duty, for anyone with a role."""
    require_any_role(actor)
    return all_duties()


def holder_of(slug: str, at: datetime) -> str | None:
    """The username holding a duty at `at`; None for nobody or a duty not set up."""
    duty = db.session.scalar(select(Duty).where(Duty.slug == slug))
    if duty is None:
        return None
    shift = on_duty(rotation_of(duty), overrides_of(duty), at)
    return shift.user if shift is not None else None


def get_duty(slug, *, actor) -> Duty:
    """One duty by slug, for anyone with a role."""
    require_any_role(actor)
    duty = db.session.scalar(select(Duty).where(Duty.slug == str(slug)[:40]))
    if duty is None:
        raise NotFound("unknown_duty", _("There is no such duty."))
    return duty


@dataclass(frozen=True)
class Now:
    duty: Duty
    shift: Shift | None  #: None: nobody is on duty (a gap)


def on_duty_now(at: datetime | None = None) -> list[Now]:
    """Who holds each duty at `at` (default now)."""
    at = at or clock.now()
    return [Now(d, on_duty(rotation_of(d), overrides_of(d), at)) for d in all_duties()]


def shift_at(slug, at: datetime | None, *, actor) -> Shift | None:
    """The shift of one duty running at `at` (default now)."""
    duty = get_duty(slug, actor=actor)
    return on_duty(rotation_of(duty), overrides_of(duty), at or clock.now())


def gaps_ahead(duty: Duty, now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Spans in the next two weeks with nobody on duty."""
    now = now or clock.now()
    return gaps(rotation_of(duty), overrides_of(duty), now, now + LOOK_AHEAD)


def shifts_of(username: str, now: datetime | None = None, count: int = 5) -> list:
    """(duty, shift) pairs of a user's next shifts over every duty, soonest first."""
    now = now or clock.now()
    found = [
        (duty, shift)
        for duty in all_duties()
        for shift in next_shifts(username, rotation_of(duty), overrides_of(duty), now, count)
    ]
    return sorted(found, key=lambda pair: pair[1].starts)[:count]


def save_duty(slug, *, actor, title, period, members, starts_on, handover, zone) -> Duty:
    """Create a duty or change one (management, admin)."""
    begin_write()
    require_role(actor, *EDITORS)
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise Invalid("bad_slug", _("Use lowercase letters, digits and hyphens."), "slug")
    cleaned = {
        "title": values.text(title, "title", 120, required=True),
        "period": _choice(period, PERIODS, "period"),
        "members": json.dumps(_members(members)),
        "starts_on": _day(starts_on),
        "handover": _handover(handover),
        "zone": _zone(zone),
    }
    duty = db.session.scalar(select(Duty).where(Duty.slug == slug))
    created = duty is None
    duty = duty or Duty(slug=slug)
    changed = sorted(name for name, value in cleaned.items() if getattr(duty, name) != value)
    for name, value in cleaned.items():
        setattr(duty, name, value)
    db.session.add(duty)
    if created or changed:
        append_event(
            "duty_created" if created else "duty_changed",
            actor=actor,
            data={
                "duty": slug,
                "title": cleaned["title"],
                "fields": changed,
                "members": json.loads(cleaned["members"]),
            },
        )
    db.session.commit()
    return duty


def add_override(slug, *, actor, user, starts, ends, reason) -> DutyOverride:
    """Someone holds the duty from `starts` to `ends` instead of the rota (members, keepers)."""
    begin_write()
    duty = get_duty(slug, actor=actor)
    require_swapper(actor, duty)
    person = find_user(user) if isinstance(user, str) else None
    if person is None or not person.active:
        raise Invalid("unknown_user", _("There is no user %(u)s.", u=str(user)[:64]), "user")
    starts, ends = _moment(starts, "from"), _moment(ends, "until")
    if ends <= starts:
        raise Invalid("bad_span", _("The end must come after the start."), "until")
    if ends - starts > OVERRIDE_LONGEST:
        raise Invalid("too_long", _("An override lasts at most 60 days."), "until")
    row = DutyOverride(
        duty_id=duty.id,
        user_id=person.id,
        starts=starts,
        ends=ends,
        reason=values.text(reason, "reason", 500, required=True),
        created_by_id=actor.id,
    )
    db.session.add(row)
    append_event(
        "duty_override_added",
        actor=actor,
        data={
            "duty": duty.slug,
            "user": person.username,
            "from": starts.isoformat(),
            "until": ends.isoformat(),
            "reason": row.reason,
        },
    )
    db.session.commit()
    return row


def can_swap(actor, duty: Duty) -> bool:
    """Whether the actor may record an override: a member of the duty, management or admin."""
    return actor.has_role(*EDITORS) or actor.username in json.loads(duty.members)


def require_swapper(actor, duty: Duty) -> None:
    """Refuse an override by someone who is neither on the rota nor keeps it."""
    if not can_swap(actor, duty):
        raise Forbidden(
            "not_member", _("Only the duty's members, management or administrators can swap.")
        )


def _choice(value, choices, field: str) -> str:
    if value not in choices:
        raise Invalid("bad_choice", _("Choose one of: %(c)s.", c=", ".join(choices)), field)
    return value


def _members(value) -> list[str]:
    if not isinstance(value, list) or len(value) > MEMBERS_MAX:
        raise Invalid("bad_members", _("Name at most %(n)d members.", n=MEMBERS_MAX), "members")
    names = []
    for name in value:
        user = find_user(name) if isinstance(name, str) else None
        if user is None or not user.active:
            raise Invalid("unknown_user", _("There is no user %(u)s.", u=str(name)[:64]), "members")
        if user.username in names:
            raise Invalid("duplicate", _("%(u)s is named twice.", u=user.username), "members")
        names.append(user.username)
    return names


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("bad_date", _("Give a date (YYYY-MM-DD)."), "starts_on") from None


def _handover(value) -> str:
    if not isinstance(value, str) or not HANDOVER.match(value):
        raise Invalid("bad_time", _("Give a time of day (HH:MM)."), "handover")
    return value


def _zone(value) -> str:
    if not isinstance(value, str) or value not in available_timezones():
        raise Invalid("bad_zone", _("Unknown time zone."), "zone")
    return value


def _moment(value, field: str) -> datetime:
    """A moment with a zone, up to a year either side of now (overrides are planned ahead)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            value = None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise Invalid(
            "bad_time",
            _("Give a date and time with a time zone, e.g. 2026-11-29T10:15:00Z."),
            field,
        )
    if abs(value - clock.now()) > timedelta(days=366):
        raise Invalid("far_time", _("This time lies more than a year away."), field)
    return value
