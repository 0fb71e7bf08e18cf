"""Impersonation cases inside an incident: each fake found (profile, post, domain, number, app),
reported to its platform, taken down or refused and re-reported; every step an event, and the
time from the first report to the takedown measured per item and per platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, values
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.permissions import require_not_closed, require_responder
from ..incidents.queries import get_incident
from ..timeline import append_event
from .addresses import KINDS, read_address
from .models import SuspectItem
from .platforms import PLATFORMS

#: where an item can go from each status
MOVES = {
    "found": ("reported",),
    "reported": ("under_review", "taken_down", "refused"),
    "under_review": ("taken_down", "refused"),
    "refused": ("re_reported",),
    "re_reported": ("under_review", "taken_down", "refused"),
    "taken_down": ("re_reported",),  # it came back
}
STATUSES = tuple(MOVES)
BULK_MAX = 200  #: addresses in one paste
ADDRESS_MAX = 500
REFERENCE_MAX = 100


@dataclass(frozen=True)
class Added:
    """What one paste did: the new items, and the addresses that were already there."""

    created: list[SuspectItem]
    merged: list[SuspectItem]


def items_of(
    incident_id, *, actor, before_id: int | None = None, limit: int | None = None
) -> list[SuspectItem]:
    """The incident's suspect items, newest first (anyone who may read the incident); a page
    of `limit` older than `before_id` when asked."""
    incident = get_incident(incident_id, actor=actor)
    query = select(SuspectItem).where(SuspectItem.incident_id == incident.id)
    if before_id is not None:
        query = query.where(SuspectItem.id < before_id)
    return list(db.session.scalars(query.order_by(SuspectItem.id.desc()).limit(limit)))


def suspects_of(incident_id: int) -> list[SuspectItem]:
    """The incident's items, oldest first (the caller checked the reader: a page's part)."""
    query = select(SuspectItem).where(SuspectItem.incident_id == incident_id)
    return list(db.session.scalars(query.order_by(SuspectItem.id)))


def add_items(incident_id, entries, *, actor) -> Added:
    """Add suspect items; an address already on the incident (once normalised) is merged."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)  # who asks comes before what they sent
    require_not_closed(incident)
    if not isinstance(entries, list) or not 1 <= len(entries) <= BULK_MAX:
        raise Invalid("bad_items", _("Give from 1 to %(n)d addresses.", n=BULK_MAX), "items")
    wanted = [_entry(entry, number) for number, entry in enumerate(entries)]
    known = {
        item.key: item
        for item in db.session.scalars(
            select(SuspectItem).where(SuspectItem.incident_id == incident.id)
        )
    }
    created, merged = [], []
    for entry in wanted:
        if entry["key"] in known:
            merged.append(known[entry["key"]])
            continue
        item = SuspectItem(incident_id=incident.id, added_by_id=actor.id, **entry)
        db.session.add(item)
        db.session.flush()
        known[item.key] = item
        created.append(item)
        append_event(
            "impersonation_added",
            actor=actor,
            incident_id=incident.id,
            data={
                "item": item.id,
                "kind": item.kind,
                "platform": item.platform,
                "address": item.address,
                "reach": item.reach,
                "first_seen": item.first_seen.isoformat(),
            },
        )
    db.session.commit()
    return Added(created, merged)


def _entry(entry, number: int) -> dict:
    field = f"items.{number}"
    if isinstance(entry, str):
        entry = {"url": entry}
    if not isinstance(entry, dict) or set(entry) - {"url", "platform", "kind", "reach", "seen"}:
        raise Invalid("bad_item", _("Each item is an address with platform, kind, reach."), field)
    address = values.text(entry.get("url"), f"{field}.url", ADDRESS_MAX, required=True)
    read = read_address(address)
    if read is None:
        raise Invalid(
            "bad_address",
            _("This is not a link, domain or phone number: %(a)s", a=address[:80]),
            f"{field}.url",
        )
    kind, platform, key = read
    kind = entry.get("kind") or kind
    platform = entry.get("platform") or platform
    if kind not in KINDS:
        raise Invalid("bad_kind", _("Choose a kind from the list."), f"{field}.kind")
    if platform not in PLATFORMS:
        raise Invalid("bad_platform", _("Choose a platform from the list."), f"{field}.platform")
    reach = entry.get("reach")
    if reach in ("", None):
        reach = None
    elif isinstance(reach, bool) or not isinstance(reach, int) or not 0 <= reach <= 10**10:
        raise Invalid("bad_reach", _("Reach is a whole number of people."), f"{field}.reach")
    seen = values.moment(entry.get("seen"), f"{field}.seen") or clock.now()
    return {
        "kind": kind,
        "platform": platform,
        "address": address,
        "key": key,
        "reach": reach,
        "first_seen": seen,
    }


def get_item(item_id, *, actor) -> SuspectItem:
    """One suspect item, for anyone who may read its incident."""
    item = get_by_id(SuspectItem, item_id)
    if item is None:
        raise NotFound("unknown_item", _("There is no such item."))
    get_incident(item.incident_id, actor=actor)  # a restricted incident's item does not exist
    return item


def move_item(item_id, status, *, actor, reference=None) -> SuspectItem:
    """Move an item on (reported, under review, taken down, refused, re-reported)."""
    begin_write()
    item = get_item(item_id, actor=actor)
    incident = db.session.get(Incident, item.incident_id)
    require_responder(actor, incident)
    require_not_closed(incident)
    if status not in STATUSES:
        raise Invalid("bad_status", _("Unknown status: %(s)s.", s=str(status)[:20]), "status")
    reference = values.text(reference, "platform_reference", REFERENCE_MAX)
    db.session.refresh(item, with_for_update=True)
    if status not in MOVES[item.status]:
        raise Conflict(
            "bad_move",
            _("An item cannot go from %(a)s to %(b)s.", a=item.status, b=status),
            "status",
        )
    now = clock.now()
    before, item.status = item.status, status
    if reference:
        item.platform_reference = reference
    if status == "reported" and item.reported_at is None:
        item.reported_at = now
    item.closed_at = now if status in ("taken_down", "refused") else None
    append_event(
        "impersonation_status_changed",
        actor=actor,
        incident_id=incident.id,
        data={"item": item.id, "from": before, "to": status, "reference": item.platform_reference},
    )
    db.session.commit()
    return item


def takedown_seconds(item: SuspectItem) -> float | None:
    """From the first report to the takedown; None while it is not taken down."""
    if item.status != "taken_down" or item.reported_at is None or item.closed_at is None:
        return None
    return (item.closed_at - item.reported_at).total_seconds()


def takedown_by_platform(items: list[SuspectItem]) -> dict[str, dict]:
    """Per platform: items, how many were taken down, the median time to takedown in seconds."""
    found: dict[str, dict] = {}
    for item in items:
        row = found.setdefault(item.platform, {"items": 0, "taken_down": 0, "seconds": []})
        row["items"] += 1
        seconds = takedown_seconds(item)
        if seconds is not None:
            row["taken_down"] += 1
            row["seconds"].append(seconds)
    return {
        platform: {
            "items": row["items"],
            "taken_down": row["taken_down"],
            "median_s": int(median(row["seconds"])) if row["seconds"] else None,
        }
        for platform, row in sorted(found.items())
    }


def confirmed_fakes(incident_id: int) -> list[SuspectItem]:
    """Items reported to a platform at least once: the team holds them for fakes."""
    return list(
        db.session.scalars(
            select(SuspectItem)
            .where(SuspectItem.incident_id == incident_id, SuspectItem.status != "found")
            .order_by(SuspectItem.id)
        )
    )


def since(moment: datetime) -> list[SuspectItem]:
    """Items of real incidents found since `moment` (the dashboard's takedown figures)."""
    query = (
        select(SuspectItem)
        .join(Incident, Incident.id == SuspectItem.incident_id)
        .where(SuspectItem.first_seen >= moment, Incident.drill.is_(False))
    )
    return list(db.session.scalars(query))
