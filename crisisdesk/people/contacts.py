"""The contact directory: read by everyone with a role, kept by management and administrators.

Each change is a timeline event naming the contact's id and the fields that changed, never their
values: contacts are personal data, which must stay erasable, and the chain never forgets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from .. import clock
from ..accounts.permissions import require_any_role, require_role
from ..database import begin_write, get_by_id
from ..errors import Invalid, NotFound
from ..extensions import db
from ..timeline import append_event
from . import fields
from .models import Contact

EDITORS = ("management", "admin")
#: a contact nobody confirmed for this long is flagged
REVIEW_EVERY = relativedelta(months=12)
LIST_FIELDS = ("phones", "languages", "tags")
PAGE = 100


def can_edit_contacts(actor) -> bool:
    """Whether the actor keeps the directory (pages show the forms by it)."""
    return actor.has_role(*EDITORS)


def review_by(contact: Contact) -> date:
    """The day the entry should be confirmed again."""
    return (contact.reviewed_at + REVIEW_EVERY).date()


def review_overdue(contact: Contact, now: datetime | None = None) -> bool:
    """Whether nobody confirmed the entry for twelve months."""
    return review_by(contact) < (now or clock.now()).date()


def listed(contact: Contact, name: str) -> list[str]:
    """One of a contact's list fields (phones, languages, tags)."""
    return json.loads(getattr(contact, name) or "[]")


def search_contacts(
    *, actor, q: str = "", tag: str = "", limit: int | None = PAGE
) -> list[Contact]:
    """Contacts matching a name, organisation or function (`q`) and a tag, by name."""
    require_any_role(actor)
    query = select(Contact).order_by(func.lower(Contact.name), Contact.id)
    words = (q or "").strip()[:100]
    if words:
        pattern = f"%{words.lower()}%"
        query = query.where(
            or_(
                func.lower(Contact.name).like(pattern),
                func.lower(Contact.organisation).like(pattern),
                func.lower(Contact.function).like(pattern),
            )
        )
    if tag:
        query = query.where(Contact.tags.like(f'%"{tag.strip().lower()[:40]}"%'))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def contacts_tagged(tags: list[str]) -> list[Contact]:
    """Contacts with any of `tags`, by name (the caller checked the reader: the room's part)."""
    if not tags:
        return []
    found = db.session.scalars(
        select(Contact)
        .where(or_(*(Contact.tags.like(f'%"{tag}"%') for tag in tags)))
        .order_by(func.lower(Contact.name), Contact.id)
    )
    return [c for c in found if set(listed(c, "tags")) & set(tags)]


def get_contact(contact_id, *, actor) -> Contact:
    """One contact, for anyone with a role."""
    require_any_role(actor)
    contact = get_by_id(Contact, contact_id)
    if contact is None:
        raise NotFound("unknown_contact", _("There is no such contact."))
    return contact


def create_contact(*, actor, **values) -> Contact:
    """Add a contact (management, admin); the actor owns it unless another owner is named."""
    begin_write()
    require_role(actor, *EDITORS)
    contact = create_contact_in_transaction(actor=actor, values=values)
    db.session.commit()
    return contact


def create_contact_in_transaction(*, actor, values: dict) -> Contact:
    """Add one contact inside the caller's transaction (an import adds many in one)."""
    cleaned = fields.clean(values, partial=False)
    contact = Contact(owner_id=actor.id)
    _apply(contact, cleaned)
    db.session.add(contact)
    db.session.flush()
    append_event(
        "contact_created", actor=actor, data={"contact": contact.id, "fields": sorted(cleaned)}
    )
    return contact


def update_contact(contact_id, *, actor, **values) -> Contact:
    """Change a contact's fields (management, admin); each change one event."""
    begin_write()
    require_role(actor, *EDITORS)
    contact = get_contact(contact_id, actor=actor)
    changed = _apply(contact, fields.clean(values, partial=True))
    if changed:
        append_event(
            "contact_changed", actor=actor, data={"contact": contact.id, "fields": sorted(changed)}
        )
    db.session.commit()
    return contact


def mark_reviewed(contact_id, *, actor) -> Contact:
    """Confirm the entry is right as it stands: its review date moves a year on."""
    begin_write()
    require_role(actor, *EDITORS)
    contact = get_contact(contact_id, actor=actor)
    contact.reviewed_at = clock.now()
    append_event("contact_reviewed", actor=actor, data={"contact": contact.id})
    db.session.commit()
    return contact


def delete_contact(contact_id, *, actor) -> None:
    """Remove a contact and its personal data (management, admin)."""
    begin_write()
    require_role(actor, *EDITORS)
    contact = get_contact(contact_id, actor=actor)
    append_event("contact_deleted", actor=actor, data={"contact": contact.id})
    db.session.delete(contact)
    db.session.commit()


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


def import_contacts(rows: list[tuple[int, dict]], *, actor) -> Imported:
    """Add or update contacts from (line, values) pairs: all of them, or none and the first error.

    A row with the name and organisation of a stored contact updates it.
    """
    begin_write()
    require_role(actor, *EDITORS)
    existing = {
        (c.name.casefold(), c.organisation.casefold()): c
        for c in db.session.scalars(select(Contact))
    }
    created = updated = 0
    for line, values in rows:
        try:
            cleaned = fields.clean(values, partial=False)
        except Invalid as exc:
            db.session.rollback()
            raise Invalid(
                exc.reason,
                _(
                    "Line %(n)d, %(field)s: %(problem)s",
                    n=line,
                    field=exc.field,
                    problem=exc.message,
                ),
                exc.field,
            ) from None
        key = (cleaned["name"].casefold(), cleaned.get("organisation", "").casefold())
        if key in existing:
            changed = _apply(existing[key], cleaned)
            updated += bool(changed)
        else:
            existing[key] = contact = Contact(owner_id=actor.id)
            _apply(contact, cleaned)
            db.session.add(contact)
            created += 1
    append_event("contacts_imported", actor=actor, data={"created": created, "updated": updated})
    db.session.commit()
    return Imported(created, updated)


def _apply(contact: Contact, cleaned: dict) -> list[str]:
    """Set the cleaned fields; the names of those that changed."""
    changed = []
    for name, value in cleaned.items():
        if name in LIST_FIELDS:
            column, value = name, json.dumps(value, ensure_ascii=False)
        elif name in ("user", "owner"):
            column, value = f"{name}_id", value.id if value is not None else None
            if name == "owner" and value is None:
                continue  # a contact always has an owner
        else:
            column = name
        if getattr(contact, column) != value:
            setattr(contact, column, value)
            changed.append(name)
    return changed
