"""A contact's fields checked one by one: each refusal names its field, whoever sent it."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .. import values
from ..accounts.service import find_user
from ..errors import Invalid

FIELDS = (
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
TEXT_MAX = {"name": 120, "organisation": 120, "function": 120, "notes": 2000}
LIST_MAX = {"phones": 5, "languages": 6, "tags": 12}
#: digits with the separators people write (+49 89 1234-567, (0931) 12 34 56); no letters
PHONE = re.compile(r"^\+?[0-9(][0-9 ()/.\-]{2,28}[0-9]$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def clean(given: dict, *, partial: bool) -> dict:
    """The given fields checked and normalised; `partial` (a change) lets the others be absent."""
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise Invalid(
            "unknown_field", _("Unknown field: %(field)s.", field=unknown[0][:50]), unknown[0][:50]
        )
    if not partial and "name" not in given:
        raise Invalid("empty", _("Please write something."), "name")
    cleaned: dict = {}
    for name, value in given.items():
        if name in TEXT_MAX:
            cleaned[name] = values.text(value, name, TEXT_MAX[name], required=name == "name")
        elif name == "email":
            cleaned[name] = _email(value)
        elif name in LIST_MAX:
            cleaned[name] = _list(name, value)
        else:
            cleaned[name] = _username(name, value)
    return cleaned


def _email(value) -> str:
    text = values.text(value, "email", 254)
    if text and not EMAIL.match(text):
        raise Invalid("bad_email", _("This is not an e-mail address."), "email")
    return text


def _list(name: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("bad_list", _("%(field)s must be a list of texts.", field=name), name)
    items = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if len(items) > LIST_MAX[name]:
        raise Invalid("too_many", _("At most %(n)d entries.", n=LIST_MAX[name]), name)
    if name == "tags":
        items = [v.lower() for v in items]
    pattern, message = {
        "phones": (PHONE, _("A phone number has digits, spaces, +, -, / and brackets only.")),
        "languages": (LANGUAGE, _("Languages are two-letter codes such as de or en.")),
        "tags": (TAG, _("Tags are lowercase words with digits and hyphens, e.g. legal-duty.")),
    }[name]
    bad = next(
        (v for v in items if not pattern.match(v.lower() if name == "languages" else v)), None
    )
    if bad is not None:
        raise Invalid("bad_entry", message, name)
    return [v.lower() for v in items] if name == "languages" else items


def _username(name: str, value):
    """A desk user named by username, or None."""
    if value in (None, ""):
        return None
    user = find_user(value) if isinstance(value, str) else None
    if user is None:
        raise Invalid("unknown_user", _("There is no user %(u)s.", u=str(value)[:64]), name)
    return user


def split_list(text: str) -> list[str]:
    """A form's list field: one entry per line, or separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[\n,;]+", text or "") if part.strip()]
