"""Inbound alerts from listening or monitoring tools: open an incident, or add to the key's one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, text

from ..database import begin_write
from ..errors import Conflict, Invalid, Unauthenticated
from ..extensions import db
from ..library.store import get_library
from . import entries, service, validation
from .models import Incident
from .permissions import require_opener
from .queries import suggest_playbooks
from .receipts import record_receipts

#: what an alert did: opened a first incident, added to a live one, reopened a resolved one,
#: or opened a new one after the incident with its key was closed
ACTIONS = ("opened", "attached", "reopened", "opened_after_closed")


@dataclass(frozen=True)
class AlertOutcome:
    """The incident an alert went to, what it did there and, after a closed one, which that was."""

    incident: Incident
    action: str
    previous_incident: int | None = None

    @property
    def created(self) -> bool:
        """Tell whether the alert opened an incident."""
        return self.action in ("opened", "opened_after_closed")


def receive_alert(
    *,
    actor,
    dedupe_key,
    title,
    summary="",
    severity=None,
    playbook=None,
    source_url=None,
    channel=None,
    receipts: dict[str, datetime] | None = None,
) -> AlertOutcome:
    """Open an incident or add to the latest one with this dedupe key (reopening a resolved one).

    One transaction: `receipts` (signature and delivery id of a signed alert → until when a replay
    could arrive; one seen before is a replay), the key's lock, the reopening, the source link or
    the new incident all commit together, or none of them does.
    """
    begin_write()
    require_opener(actor)
    if not isinstance(dedupe_key, str) or not dedupe_key.strip() or len(dedupe_key) > 200:
        raise Invalid(
            "bad_dedupe_key",
            _("dedupe_key is required (at most 200 characters)."),
            field="dedupe_key",
        )
    key = dedupe_key.strip()
    validation.title(title)
    url = validation.url(source_url, "source_url") if source_url not in (None, "") else None
    if receipts and not record_receipts(receipts):
        raise Unauthenticated(
            "replayed", _("This signed alert was already received."), code="replayed"
        )
    if db.session.get_bind().dialect.name == "postgresql":
        # two alerts with one key at the same moment must not open two incidents; the lock lasts
        # until the commit below, so nothing in between may commit
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    latest = db.session.scalar(
        select(Incident).where(Incident.dedupe_key == key).order_by(Incident.id.desc()).limit(1)
    )
    if latest is None or latest.status == "closed":
        incident = _open(
            actor,
            key,
            title,
            summary,
            severity,
            playbook,
            url,
            channel,
            follows=latest.id if latest is not None else None,
        )
        outcome = AlertOutcome(
            incident,
            "opened" if latest is None else "opened_after_closed",
            latest.id if latest is not None else None,
        )
    else:
        outcome = AlertOutcome(latest, _add_to(latest, url, actor))
    db.session.commit()
    return outcome


def _add_to(incident: Incident, url: str | None, actor) -> str:
    """Reopen a resolved incident and attach a new source link, in the alert's transaction."""
    action = "attached"
    if incident.status == "resolved":
        # a normal status change, with its event, through the incidents service
        service.update_incident_in_transaction(incident.id, actor=actor, status="open")
        action = "reopened"
    if url:
        try:
            entries.add_source_link_in_transaction(incident.id, url, actor=actor)
        except Conflict as known:  # refused before any change: the alert goes on without it
            if known.reason != "duplicate_link":
                raise
    return action


def _open(actor, key, title, summary, severity, playbook, url, channel, follows):
    chosen = playbook if playbook is not None else _suggested(title, summary, actor)
    default = get_library().playbooks.get(chosen) if isinstance(chosen, str) else None
    return service.open_incident_in_transaction(
        actor=actor,
        title=title,
        summary=summary or "",
        playbook=chosen,
        severity=severity if severity is not None else (default.default_severity if default else 3),
        channels=[channel] if channel else [],
        source_links=[url] if url else [],
        dedupe_key=key,
        follows_id=follows,
        by_alert=True,
    )


def _suggested(title, summary, actor):
    text_ = (
        f"{title if isinstance(title, str) else ''} {summary if isinstance(summary, str) else ''}"
    )
    best = suggest_playbooks(text_, actor.language, limit=1)
    if not best:
        raise Invalid(
            "no_playbook", _("Name a playbook: none matches the alert's words."), field="playbook"
        )
    return best[0][1].slug
