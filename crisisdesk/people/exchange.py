"""Contacts as CSV (as German spreadsheets write it) and as vCard 3.0, both ways."""

from __future__ import annotations

import csv
import io

import vobject
from flask_babel import gettext as _

from ..errors import Invalid
from .contacts import listed
from .models import Contact

#: the columns, in order; lists are joined with ", "
COLUMNS = (
    "name",
    "organisation",
    "function",
    "phones",
    "email",
    "languages",
    "tags",
    "notes",
    "user",
    "owner",
)
LISTS = ("phones", "languages", "tags")
#: a file larger than this is refused before it is read
MAX_BYTES = 2 * 1024 * 1024


def _row(contact: Contact) -> dict[str, str]:
    return {
        "name": contact.name,
        "organisation": contact.organisation,
        "function": contact.function,
        "phones": ", ".join(listed(contact, "phones")),
        "email": contact.email,
        "languages": ", ".join(listed(contact, "languages")),
        "tags": ", ".join(listed(contact, "tags")),
        "notes": contact.notes,
        "user": contact.user.username if contact.user else "",
        "owner": contact.owner.username,
    }


def to_csv(contacts: list[Contact]) -> str:
    """The contacts as CSV: semicolons and a byte-order mark, so spreadsheets open it right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for contact in contacts:
        writer.writerow(_row(contact))
    return out.getvalue()


def _text(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise Invalid("too_large", _("The file is larger than 2 MB."), "file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # what older German spreadsheets save


def from_csv(raw: bytes) -> list[tuple[int, dict]]:
    """(line, values) per row of a CSV with a header row; commas or semicolons."""
    text = _text(raw)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "name" not in header:
        raise Invalid(
            "bad_file", _("The first line must name the columns, one of them name."), "file"
        )
    unknown = sorted(set(header) - set(COLUMNS) - {""})
    if unknown:
        raise Invalid("bad_file", _("Unknown column: %(c)s.", c=unknown[0][:50]), "file")
    rows = []
    for record in reader:
        values = {
            key.strip().lower(): (value or "").strip()
            for key, value in record.items()
            if key and key.strip().lower() in COLUMNS
        }
        if not any(values.values()):
            continue  # an empty line at the end
        for name in LISTS:
            if name in values:
                values[name] = [v.strip() for v in values[name].split(",") if v.strip()]
        rows.append((reader.line_num, {k: v for k, v in values.items() if v != ""}))
    return rows


def to_vcard(contacts: list[Contact]) -> str:
    """The contacts as vCard 3.0, one card each."""
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("fn").value = contact.name
        card.add("n").value = vobject.vcard.Name(family=contact.name)
        if contact.organisation:
            card.add("org").value = [contact.organisation]
        if contact.function:
            card.add("title").value = contact.function
        for phone in listed(contact, "phones"):
            card.add("tel").value = phone
        if contact.email:
            card.add("email").value = contact.email
        if listed(contact, "tags"):
            card.add("categories").value = listed(contact, "tags")
        if listed(contact, "languages"):
            card.add("x-crisisdesk-languages").value = ",".join(listed(contact, "languages"))
        if contact.notes:
            card.add("note").value = contact.notes
        cards.append(card.serialize())
    return "".join(cards)


def from_vcard(raw: bytes) -> list[tuple[int, dict]]:
    """(card number, values) per card of a vCard file."""
    try:
        cards = list(vobject.readComponents(_text(raw)))
    except Exception as exc:  # noqa: BLE001 - vobject raises many kinds on bad input
        raise Invalid("bad_file", _("This is not a vCard file."), "file") from exc
    rows = []
    for number, card in enumerate(cards, start=1):
        if card.name != "VCARD":
            continue
        values: dict = {"name": _first(card, "fn")}
        org = _first(card, "org")
        if org:
            values["organisation"] = org[0] if isinstance(org, list) else org
        for key, field in (("title", "function"), ("email", "email"), ("note", "notes")):
            if _first(card, key):
                values[field] = _first(card, key)
        phones = [line.value for line in card.contents.get("tel", [])]
        if phones:
            values["phones"] = phones
        tags = [t for line in card.contents.get("categories", []) for t in line.value]
        if tags:
            values["tags"] = tags
        languages = _first(card, "x-crisisdesk-languages")
        if languages:
            values["languages"] = languages.split(",")
        rows.append((number, values))
    return rows


def _first(card, key: str):
    lines = card.contents.get(key, [])
    return lines[0].value if lines else None
