"""An incident's public notice: put live by its first website publication, kept by the lead."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..database import begin_write, insert_ignore
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..incidents.models import Incident
from ..incidents.queries import get_incident
from ..incidents.restriction import can_keep
from ..library.store import get_library
from ..timeline import append_event
from .models import PublicNotice

#: the one channel whose publications go on the public site
CHANNEL = "website"


def notice_path(notice: PublicNotice, language: str = "de") -> str:
    """The notice's address on this server (the default language has no language folder)."""
    prefix = current_app.config["PUBLIC_PREFIX"]
    folder = "" if language == current_app.config["BABEL_DEFAULT_LOCALE"] else f"{language}/"
    return f"{prefix}{folder}notices/{notice.public_id}"


def dark_pages_of(playbook) -> list:
    """The playbook's dark page and its twin in the other language (none if it has no page)."""
    library = get_library()
    page = library.statements.get(playbook.dark_page or "") if playbook else None
    if page is None:
        return []
    twin = library.statements.get(page.twin or "")
    return [page, twin] if twin is not None else [page]


def on_published(response, actor) -> None:
    """Inside a publication's transaction: a website text opens the incident's notice (or reopens
    an ended one), so the page exists the moment the publication commits."""
    if response.channel != CHANNEL or db.session.get(Incident, response.incident_id).drill:
        return  # a drill records what would have gone out; it never reaches the public site
    public_id = f"{clock.now():%Y-%m-%d}-{secrets.token_hex(4)}"
    if insert_ignore(
        PublicNotice,
        "incident_id",
        incident_id=response.incident_id,
        public_id=public_id,
        show_ref=False,
        created_at=clock.now(),
    ):
        notice = notice_of(response.incident_id)
        append_event(
            "public_notice_opened",
            actor=actor,
            incident_id=response.incident_id,
            data={"public_id": notice.public_id, "path": notice_path(notice)},
        )
        return
    notice = notice_of(response.incident_id)
    if notice.ended_at is not None:
        notice.ended_at = None
        append_event(
            "public_notice_changed",
            actor=actor,
            incident_id=response.incident_id,
            data={"ended": False},
        )


def notice_of(incident_id: int) -> PublicNotice | None:
    """The incident's notice, if it has one (no permission check: for services and renderers)."""
    return db.session.scalars(
        select(PublicNotice).where(PublicNotice.incident_id == incident_id)
    ).first()


def notice_for(incident_id, *, actor) -> PublicNotice | None:
    """The notice of an incident the actor may see."""
    return notice_of(get_incident(incident_id, actor=actor).id)


def require_notice_keeper(incident_id, *, actor):
    """The incident, if the actor is its lead or an administrator (who keep its notice)."""
    incident = get_incident(incident_id, actor=actor)
    if not can_keep(actor, incident):
        raise Forbidden(
            "not_keeper",
            _("Only the incident's lead or an administrator changes its public notice."),
        )
    return incident


def change_notice(incident_id, *, actor, show_ref=None, ended=None) -> PublicNotice:
    """Show or hide the reference, end the notice or put it live again (lead or administrator)."""
    for name, value in (("show_ref", show_ref), ("ended", ended)):
        if value is not None and not isinstance(value, bool):
            raise Invalid("bad_flag", _("%(f)s must be true or false.", f=name), name)
    begin_write()
    incident = require_notice_keeper(incident_id, actor=actor)
    notice = notice_of(incident.id)
    if notice is None:
        raise Invalid(
            "no_notice",
            _("This incident has no public notice yet: publish a text on the website first."),
        )
    db.session.refresh(notice, with_for_update=True)
    changed = {}
    if show_ref is not None and show_ref != notice.show_ref:
        notice.show_ref = changed["show_ref"] = show_ref
    if ended is not None and ended != (notice.ended_at is not None):
        notice.ended_at = clock.now() if ended else None
        changed["ended"] = ended
    if changed:
        append_event("public_notice_changed", actor=actor, incident_id=incident.id, data=changed)
    db.session.commit()
    return notice
