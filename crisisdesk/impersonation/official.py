"""The registry of the bank's official accounts: read by every desk role, kept by management and
administrators. Each change is an event; the public "our official channels" page is written from
the active accounts, so a customer can check whether a profile is really the bank's.

Events name the fields that changed and carry the values only of the public ones (platform,
handle, address, verified, active): who holds a second factor or recovers an account names
people, and the chain never forgets.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock, values
from ..accounts.permissions import require_any_role, require_role
from ..database import begin_write, get_by_id
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..incidents.validation import url as http_url
from ..timeline import append_event
from .models import OfficialAccount
from .platforms import PLATFORMS, platform_label

EDITORS = ("management", "admin")
#: an account whose access nobody reviewed for this long is flagged
REVIEW_EVERY = relativedelta(months=6)
TEXT_MAX = {"handle": 100, "purpose": 300, "owner": 100, "second_factor": 100}
RECOVERY_MAX = 1000
URL_MAX = 300
FIELDS = (
    "platform",
    "handle",
    "url",
    "verified",
    "purpose",
    "owner",
    "second_factor",
    "recovery_contacts",
    "last_access_review",
    "active",
)
PUBLIC_FIELDS = ("platform", "handle", "url", "verified", "active")


def require_editor(actor) -> None:
    """Keeping the registry is for management and administrators."""
    require_role(actor, *EDITORS)


def can_edit_accounts(actor) -> bool:
    """Whether the actor keeps the registry (pages show the forms by it)."""
    return actor.has_role(*EDITORS)


def review_overdue(account: OfficialAccount, now: datetime | None = None) -> bool:
    """Whether the account's access was never reviewed, or last more than six months ago."""
    if account.last_access_review is None:
        return True
    return account.last_access_review + REVIEW_EVERY < (now or clock.now()).date()


def list_accounts(*, actor, offset: int = 0, limit: int | None = None) -> list[OfficialAccount]:
    """Every account, active ones first, by platform and handle; `limit` from `offset` when
    asked (a bank's own accounts are a few dozen: an offset pages them exactly)."""
    require_any_role(actor)
    query = select(OfficialAccount).order_by(
        OfficialAccount.active.desc(),
        OfficialAccount.platform,
        func.lower(OfficialAccount.handle),
        OfficialAccount.id,
    )
    return list(db.session.scalars(query.offset(offset).limit(limit)))


def get_account(account_id, *, actor) -> OfficialAccount:
    """One account of the registry."""
    require_any_role(actor)
    account = get_by_id(OfficialAccount, account_id)
    if account is None:
        raise NotFound("unknown_account", _("There is no such official account."))
    return account


def add_account(*, actor, **given) -> OfficialAccount:
    """Register an account; platform, handle and address are required."""
    require_editor(actor)
    cleaned = clean(given, partial=False)
    begin_write()
    _refuse_duplicate(cleaned["url"], None)
    account = OfficialAccount(**cleaned, changed_by_id=actor.id)
    db.session.add(account)
    db.session.flush()
    data = {"account": account.id, **{name: getattr(account, name) for name in PUBLIC_FIELDS}}
    append_event("official_account_added", actor=actor, data=data)
    db.session.commit()
    return account


def change_account(account_id, *, actor, **given) -> OfficialAccount:
    """Change the given fields of an account; a change that changes nothing records nothing."""
    require_editor(actor)
    cleaned = clean(given, partial=True)
    begin_write()
    account = get_account(account_id, actor=actor)
    if "url" in cleaned:
        _refuse_duplicate(cleaned["url"], account.id)
    changed = [
        name for name in FIELDS if name in cleaned and getattr(account, name) != cleaned[name]
    ]
    if changed:
        for name in changed:
            setattr(account, name, cleaned[name])
        account.changed_at, account.changed_by_id = clock.now(), actor.id
        data = {
            "account": account.id,
            "fields": changed,
            **{name: getattr(account, name) for name in PUBLIC_FIELDS if name in changed},
        }
        append_event("official_account_changed", actor=actor, data=data)
    db.session.commit()
    return account


def _refuse_duplicate(address: str, own_id: int | None) -> None:
    same = select(OfficialAccount.id).where(
        func.lower(OfficialAccount.url) == address.lower(), OfficialAccount.id != (own_id or 0)
    )
    if db.session.scalar(same) is not None:
        raise Conflict("duplicate_account", _("This address is registered already."), "url")


def clean(given: dict, *, partial: bool) -> dict:
    """The given fields checked one by one; each refusal names its field."""
    unknown = sorted(str(name) for name in set(given) - set(FIELDS))
    if unknown:
        raise Invalid(
            "unknown_field", _("Unknown field: %(field)s.", field=unknown[0][:50]), unknown[0][:50]
        )
    for name in () if partial else ("platform", "handle", "url"):
        if given.get(name) in (None, ""):
            raise Invalid("empty", _("Please write something."), name)
    cleaned: dict = {}
    for name, value in given.items():
        if name == "platform":
            if value not in PLATFORMS:
                raise Invalid("bad_platform", _("Choose a platform from the list."), name)
            cleaned[name] = value
        elif name == "url":
            cleaned[name] = _address(value)
        elif name in ("verified", "active"):
            if not isinstance(value, bool):
                raise Invalid("bad_flag", _("%(f)s must be true or false.", f=name), name)
            cleaned[name] = value
        elif name == "last_access_review":
            cleaned[name] = _review_day(value)
        elif name == "recovery_contacts":
            cleaned[name] = values.text(value, name, RECOVERY_MAX)
        else:
            cleaned[name] = values.text(value, name, TEXT_MAX[name], required=name == "handle")
    return cleaned


def _address(value) -> str:
    address = http_url(value, "url")
    if len(address) > URL_MAX:
        raise Invalid("too_long", _("This can have at most %(n)d characters.", n=URL_MAX), "url")
    return address


def _review_day(value) -> date | None:
    day = values.iso_day(value)
    if day is None:
        return None
    if day is False or day > clock.now().date() or day.year < 2000:
        raise Invalid(
            "bad_date",
            _("Give the day of the last access review (YYYY-MM-DD), not in the future."),
            "last_access_review",
        )
    return day


def active_account_on(platform: str) -> OfficialAccount | None:
    """The bank's first active account on a platform (the takedown letter points to it)."""
    query = select(OfficialAccount).where(
        OfficialAccount.platform == platform, OfficialAccount.active.is_(True)
    )
    return db.session.scalars(query.order_by(OfficialAccount.id)).first()


def public_channels() -> list[dict]:
    """The active accounts as the public page lists them: platform, handle, address, verified."""
    rows = db.session.scalars(
        select(OfficialAccount)
        .where(OfficialAccount.active.is_(True))
        .order_by(OfficialAccount.platform, func.lower(OfficialAccount.handle))
    )
    return [
        {
            "platform": platform_label(account.platform),
            "handle": account.handle,
            "url": account.url,
            "verified": account.verified,
        }
        for account in rows
    ]
