"""Inbound alerts from social-listening or monitoring tools: open an incident, or add to the open one."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, text

from ..database import begin_write
from ..errors import Invalid
from ..extensions import db
from ..library.store import get_library
from . import service, validation
from .models import Incident, SourceLink
from .permissions import require_opener
from .queries import suggest_playbooks


def receive_alert(*, actor, dedupe_key, title, summary="", severity=None, playbook=None, source_url=None,
                  channel=None) -> tuple[Incident, bool]:
    """Return (incident, created): a new incident, or the open one with this dedupe key plus the link."""
    begin_write()
    require_opener(actor)
    if not isinstance(dedupe_key, str) or not dedupe_key.strip() or len(dedupe_key) > 200:
        raise Invalid("bad_dedupe_key", _("dedupe_key is required (at most 200 characters)."), field="dedupe_key")
    key = dedupe_key.strip()
    validation.title(title)
    url = validation.url(source_url, "source_url") if source_url not in (None, "") else None
    if db.session.get_bind().dialect.name == "postgresql":
        # two alerts with one key at the same moment must not open two incidents
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    existing = db.session.scalar(select(Incident).where(Incident.dedupe_key == key, Incident.status != "closed")
                                 .order_by(Incident.id.desc()).limit(1))
    if existing is not None:
        if url and not db.session.scalar(select(func.count()).select_from(SourceLink).where(
                SourceLink.incident_id == existing.id, SourceLink.url == url)):
            service.add_source_link(existing.id, url, actor=actor)
        db.session.commit()
        return existing, False
    chosen = playbook if playbook is not None else _suggested(title, summary, actor)
    default = get_library().playbooks.get(chosen) if isinstance(chosen, str) else None
    incident = service.open_incident(
        actor=actor, title=title, summary=summary or "", playbook=chosen,
        severity=severity if severity is not None else (default.default_severity if default else 3),
        channels=[channel] if channel else [], source_links=[url] if url else [], dedupe_key=key)
    return incident, True


def _suggested(title, summary, actor):
    text_ = f"{title if isinstance(title, str) else ''} {summary if isinstance(summary, str) else ''}"
    best = suggest_playbooks(text_, actor.language, limit=1)
    if not best:
        raise Invalid("no_playbook", _("Name a playbook: none matches the alert's words."), field="playbook")
    return best[0][1].slug
