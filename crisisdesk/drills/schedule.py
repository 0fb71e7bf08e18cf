"""When a drill's injects fall due: pure functions of the script, the start and the pauses.

A drill's own clock runs from its start and stands still while the drill is paused, so an
inject at minute N arrives N minutes of running drill after the start. A complaint wave of K
posts over M minutes is K releases spread evenly from its minute on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..library.content import DrillScript, Inject


@dataclass(frozen=True)
class Release:
    """One thing the worker puts on the drill's timeline: an inject, or one post of a wave."""

    key: str  #: "<inject id>", or "<inject id>#<n>" for the n-th post of a wave
    inject: Inject
    offset: timedelta  #: of running drill after the start
    part: int = 1


def releases(script: DrillScript) -> list[Release]:
    """Every release of the script, in the order they fall due."""
    result = []
    for inject in script.injects:
        start = timedelta(minutes=inject.at_minute)
        if inject.kind != "complaint_wave":
            result.append(Release(inject.id, inject, start))
            continue
        step = timedelta(minutes=inject.over_minutes) / inject.count
        result.extend(
            Release(f"{inject.id}#{n + 1}", inject, start + step * n, n + 1)
            for n in range(inject.count)
        )
    return sorted(result, key=lambda release: (release.offset, release.key))


def running_time(
    started_at: datetime, now: datetime, pauses: Iterable[tuple[datetime, datetime | None]]
) -> timedelta:
    """How long the drill has run by `now`: the time since its start less its pauses."""
    paused = timedelta()
    for begun, ended in pauses:
        begun, ended = max(begun, started_at), min(ended or now, now)
        if ended > begun:
            paused += ended - begun
    return max(now - started_at - paused, timedelta())


def due(
    script: DrillScript,
    started_at: datetime,
    now: datetime,
    pauses: Iterable[tuple[datetime, datetime | None]] = (),
    released: Iterable[str] = (),
) -> list[Release]:
    """The releases due by `now` that are not released yet, in order."""
    elapsed = running_time(started_at, now, list(pauses))
    done = set(released)
    return [r for r in releases(script) if r.offset <= elapsed and r.key not in done]


def next_due(script: DrillScript, released: Iterable[str] = ()) -> Release | None:
    """The first release not yet out (due or still to come), for fast-forwarding and display."""
    done = set(released)
    return next((r for r in releases(script) if r.key not in done), None)
