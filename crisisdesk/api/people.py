"""Contact directory endpoints."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..errors import Invalid
from ..people import contacts
from ..people.fields import FIELDS
from . import bp
from .helpers import actor, json_body, only_fields


def contact_json(contact) -> dict:
    """A contact as the API shows it."""
    return {
        "id": contact.id,
        "name": contact.name,
        "organisation": contact.organisation,
        "function": contact.function,
        "phones": contacts.listed(contact, "phones"),
        "email": contact.email,
        "languages": contacts.listed(contact, "languages"),
        "tags": contacts.listed(contact, "tags"),
        "notes": contact.notes,
        "user": contact.user.username if contact.user else None,
        "owner": contact.owner.username,
        "review_by": contacts.review_by(contact).isoformat(),
        "review_overdue": contacts.review_overdue(contact),
    }


@bp.get("/contacts")
def list_contacts():
    """Contacts matching q (name, organisation, function) and tag, by name."""
    q, tag = request.args.get("q", ""), request.args.get("tag", "")
    for name, value, longest in (("q", q, 100), ("tag", tag, 40)):
        if len(value) > longest:
            raise Invalid(
                "too_long", _("This can have at most %(n)d characters.", n=longest), field=name
            )
    found = contacts.search_contacts(actor=actor(), q=q, tag=tag)
    return jsonify({"items": [contact_json(c) for c in found]})


@bp.post("/contacts")
def create_contact():
    """Add a contact (management, admin)."""
    body = only_fields(json_body(), set(FIELDS), nullable=frozenset({"user"}))
    return jsonify(contact_json(contacts.create_contact(actor=actor(), **body))), 201


@bp.get("/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    """One contact."""
    return jsonify(contact_json(contacts.get_contact(contact_id, actor=actor())))


@bp.patch("/contacts/<int:contact_id>")
def patch_contact(contact_id: int):
    """Change a contact's fields (management, admin)."""
    body = only_fields(json_body(), set(FIELDS), nullable=frozenset({"user"}))
    return jsonify(contact_json(contacts.update_contact(contact_id, actor=actor(), **body)))


@bp.delete("/contacts/<int:contact_id>")
def delete_contact(contact_id: int):
    """Delete a contact and its personal data (management, admin)."""
    contacts.delete_contact(contact_id, actor=actor())
    return "", 204
