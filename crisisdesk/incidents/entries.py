"""What responders add to an open incident's room: notes, source links, checklist ticks.

Each function: permission, validation, state + one event, commit; a `…_in_transaction` twin
leaves the commit to the caller.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write, commit_keeping_loaded
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from . import validation
from .models import IncidentChecklistItem, SourceLink
from .permissions import require_not_closed, require_responder
from .queries import get_incident


def add_note(incident_id, text, *, actor):
    """Add a note to the timeline; returns the event."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    text = validation.text(text, "text", validation.NOTE_MAX, required=True)
    event = append_event("note_added", actor=actor, incident_id=incident.id, data={"text": text})
    commit_keeping_loaded()  # the answer is the event as written
    return event


def add_source_link(incident_id, url, *, actor) -> SourceLink:
    """Attach the address of a public post to the incident."""
    begin_write()
    link = add_source_link_in_transaction(incident_id, url, actor=actor)
    db.session.commit()
    return link


def add_source_link_in_transaction(incident_id, url, *, actor) -> SourceLink:
    """add_source_link() inside the caller's write transaction; the caller commits."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    url = validation.url(url)
    if has_link(incident.id, url):
        raise Conflict("duplicate_link", _("This address is already attached."), field="url")
    link = SourceLink(incident_id=incident.id, url=url, added_by_id=actor.id)
    db.session.add(link)
    append_event("source_link_added", actor=actor, incident_id=incident.id, data={"url": url})
    return link


def has_link(incident_id: int, url: str) -> bool:
    """Whether the incident already has this address: one indexed query, not every link loaded
    (an alert storm attaches thousands)."""
    found = select(SourceLink.id).where(
        SourceLink.incident_id == incident_id, SourceLink.url == url
    )
    return db.session.scalar(found.limit(1)) is not None


def set_checklist_item(incident_id, item_key, done, *, actor) -> IncidentChecklistItem:
    """Tick or untick a checklist item."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    if not isinstance(done, bool):
        raise Invalid("bad_done", _("done must be true or false."), field="done")
    item = next((i for i in incident.checklist if i.item_key == item_key), None)
    if item is None:
        raise NotFound("unknown_item", _("There is no such checklist item."))
    if item.done == done:
        db.session.commit()  # nothing changes, nothing to log; the write lock goes
        return item
    item.done, item.done_by_id, item.done_at = (
        done,
        (actor.id if done else None),
        (clock.now() if done else None),
    )
    append_event(
        "checklist_done" if done else "checklist_undone",
        actor=actor,
        incident_id=incident.id,
        data={"item": item.item_key, "text": item.text},
    )
    # the answer is the item as written; its person is read again from the id just set (from
    # the session's own copy of the actor, no query), never from an older loaded value
    db.session.expire(item, ["done_by"])
    commit_keeping_loaded()
    return item
