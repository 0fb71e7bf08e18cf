"""Who is on duty when: the arithmetic of on-call rotas, their hand-overs and overrides.

A rota hands over at a wall-clock time in its zone, every day or every seventh day from its
first hand-over day, so a shift spanning a clock change lasts 23 or 25 hours (a weekly one 167
or 169). The hand-over time is read with `fold=0` and normalised through UTC: an ambiguous time
(the hour the clocks go back) is its first occurrence, and a time that does not exist (the hour
the clocks go forward) is read with the offset from before the change, so 02:30 in Berlin on the
last Sunday of March hands over at 03:30 CEST. Times are returned in UTC.

Overrides (holiday swaps) win over the rota for their span. Where overrides overlap, the one
that starts later wins, since it is the more specific arrangement; on equal starts the one
later in the list wins, so callers pass them in the order they were entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

PERIODS = {"daily": 1, "weekly": 7}
#: how far on_duty looks either side for the ends of one unbroken shift
LONGEST_SHIFT = timedelta(days=800)
#: a shift running on past this has no hand-over in sight (a rota of one): shown without an end
NO_HANDOVER_AFTER = timedelta(days=365)


def hands_over(shift, now: datetime) -> bool:
    """Whether the shift's end is a real hand-over, not the edge of the search."""
    return shift.ends - now < NO_HANDOVER_AFTER


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Rotation:
    """Members taking turns, handing over at a wall-clock time every day or week."""

    period: str
    members: tuple[str, ...]
    start: date
    handover: time
    zone: ZoneInfo

    def __post_init__(self):
        if self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}")
        # a list would make the frozen dataclass unhashable
        object.__setattr__(self, "members", tuple(self.members))
        if len(set(self.members)) != len(self.members):
            raise ValueError("members must be unique")
        if isinstance(self.start, datetime):
            raise ValueError("start must be a date, not a datetime")
        if self.handover.tzinfo is not None:
            raise ValueError("handover must be a wall-clock time without a zone")


@dataclass(frozen=True)
class Override:
    """Someone standing in for the rota over a span, for example a holiday swap."""

    user: str
    starts: datetime
    ends: datetime
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "starts", _utc(self.starts, "starts"))
        object.__setattr__(self, "ends", _utc(self.ends, "ends"))
        if self.ends <= self.starts:
            raise ValueError("an override must end after it starts")


@dataclass(frozen=True)
class Shift:
    """One person on duty from `starts` to `ends` (UTC), from the rota or an override."""

    user: str
    starts: datetime
    ends: datetime
    override: bool

    def __post_init__(self):
        object.__setattr__(self, "starts", _utc(self.starts, "starts"))
        object.__setattr__(self, "ends", _utc(self.ends, "ends"))
        if self.ends <= self.starts:
            raise ValueError("a shift must end after it starts")

    def covers(self, moment: datetime) -> bool:
        """Whether the shift runs at `moment` (the start counts, the end does not)."""
        return self.starts <= moment < self.ends


def _handover(rotation: Rotation, k: int) -> datetime:
    """The k-th hand-over (0: the first member's first shift) in UTC."""
    day = rotation.start + timedelta(days=k * PERIODS[rotation.period])
    wall = datetime.combine(day, rotation.handover, tzinfo=rotation.zone).replace(fold=0)
    return wall.astimezone(UTC)


def _period(rotation: Rotation, moment: datetime) -> int:
    """The index of the period running at `moment` (negative before the first hand-over)."""
    step = PERIODS[rotation.period]
    k = (moment.astimezone(rotation.zone).date() - rotation.start).days // step
    # the local day only estimates; a hand-over late or early in the day moves it by one
    while _handover(rotation, k) > moment:
        k -= 1
    while _handover(rotation, k + 1) <= moment:
        k += 1
    return k


def _rota_shifts(rotation: Rotation, start: datetime, end: datetime) -> list[Shift]:
    members = rotation.members
    if not members or start >= end:
        return []
    k = max(_period(rotation, start), 0)
    shifts = []
    begins = _handover(rotation, k)
    while begins < end:
        ends = _handover(rotation, k + 1)
        lo, hi = max(begins, start), min(ends, end)
        if lo < hi:
            shifts.append(Shift(members[k % len(members)], lo, hi, False))
        k, begins = k + 1, ends
    return shifts


def handovers(rotation: Rotation, start: datetime, end: datetime) -> list[datetime]:
    """The hand-over moments (UTC) in [start, end); none without members."""
    start, end = _utc(start, "start"), _utc(end, "end")
    if not rotation.members:
        return []
    k = max(_period(rotation, start), 0)
    moments = []
    moment = _handover(rotation, k)
    while moment < end:
        if moment >= start:
            moments.append(moment)
        k += 1
        moment = _handover(rotation, k)
    return moments


def _winner(overrides: Sequence[tuple[int, Override]], at: datetime) -> Override | None:
    covering = [(o.starts, i, o) for i, o in overrides if o.starts <= at < o.ends]
    return max(covering, key=lambda entry: entry[:2])[2] if covering else None


def schedule(
    rotation: Rotation, overrides: Iterable[Override], start: datetime, end: datetime
) -> list[Shift]:
    """The shifts covering [start, end), cut to the window, overrides winning over the rota."""
    start, end = _utc(start, "start"), _utc(end, "end")
    if start >= end:
        return []
    rota = _rota_shifts(rotation, start, end)
    relevant = [(i, o) for i, o in enumerate(overrides) if o.starts < end and o.ends > start]
    cuts = {start, end}
    cuts.update(s.starts for s in rota)
    cuts.update(min(max(t, start), end) for _, o in relevant for t in (o.starts, o.ends))
    cuts = sorted(cuts)
    pieces: list[Shift] = []
    r = 0
    # between two neighbouring cuts nobody changes, so the left end decides the whole piece
    for lo, hi in pairwise(cuts):
        while r < len(rota) and rota[r].ends <= lo:
            r += 1
        override = _winner(relevant, lo)
        if override is not None:
            user, is_override = override.user, True
        elif r < len(rota) and rota[r].covers(lo):
            user, is_override = rota[r].user, False
        else:
            continue
        last = pieces[-1] if pieces else None
        if last and last.ends == lo and (last.user, last.override) == (user, is_override):
            pieces[-1] = Shift(user, last.starts, hi, is_override)
        else:
            pieces.append(Shift(user, lo, hi, is_override))
    return pieces


def on_duty(rotation: Rotation, overrides: Iterable[Override], at: datetime) -> Shift | None:
    """The whole shift running at `at`, or None if nobody is on duty then."""
    at = _utc(at, "at")
    overrides = list(overrides)
    span = timedelta(days=8)
    while True:
        lo, hi = at - span, at + span
        shift = next((s for s in schedule(rotation, overrides, lo, hi) if s.covers(at)), None)
        # a shift touching the window's edge may run on beyond it: look wider
        if shift is None or (lo < shift.starts and shift.ends < hi) or span >= LONGEST_SHIFT:
            return shift
        span *= 2


def gaps(
    rotation: Rotation, overrides: Iterable[Override], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The spans in [start, end) with nobody on duty."""
    start, end = _utc(start, "start"), _utc(end, "end")
    holes = []
    cursor = start
    for shift in schedule(rotation, overrides, start, end):
        if shift.starts > cursor:
            holes.append((cursor, shift.starts))
        cursor = shift.ends
    if cursor < end:
        holes.append((cursor, end))
    return holes


def next_shifts(
    user: str,
    rotation: Rotation,
    overrides: Iterable[Override],
    after: datetime,
    count: int = 5,
    horizon: timedelta = timedelta(days=120),
) -> list[Shift]:
    """The user's next `count` whole shifts starting before `after + horizon`, the running first."""
    after = _utc(after, "after")
    if count <= 0:
        return []
    overrides = list(overrides)
    running = on_duty(rotation, overrides, after)
    start = running.starts if running else after
    end = after + horizon
    found = []
    for shift in schedule(rotation, overrides, start, end):
        if shift.user != user:
            continue
        if shift.ends == end:
            # cut by the horizon: show the shift's true end
            shift = on_duty(rotation, overrides, shift.starts) or shift
        found.append(shift)
        if len(found) == count:
            break
    return found
