"""Evidence files: screenshots and documents kept outside the database under their SHA-256, each
recorded on the timeline with that hash, so `audit verify` notices a file changed or gone.

Only PNG, JPEG and PDF are taken, recognised from their first bytes; image metadata (the phone's
GPS position among it) is removed on request without touching a pixel.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import begin_write, get_by_id
from ..errors import Invalid, NotFound
from ..extensions import db
from ..incidents.permissions import require_not_closed, require_responder
from ..incidents.queries import get_incident
from ..timeline import append_event
from .filetypes import EXTENSIONS, sniff, strip_metadata
from .models import Evidence

FILENAME_MAX = 200


def evidence_dir() -> Path:
    """Where the files lie: EVIDENCE_DIR, else the instance folder's evidence/."""
    configured = current_app.config.get("EVIDENCE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "evidence"


def path_of(sha256: str) -> Path:
    """A file's place: by its hash, in a folder per first two hex digits."""
    return evidence_dir() / sha256[:2] / sha256


def upload_limit() -> int:
    """The largest file taken, in bytes."""
    return int(current_app.config["EVIDENCE_MAX_BYTES"])


def add_evidence(incident_id, data: bytes, filename: str, *, actor, strip: bool = False):
    """Keep a file as evidence of the incident; the same file twice is kept once."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_responder(actor, incident)
    require_not_closed(incident)
    if not data:
        raise Invalid("empty_file", _("The file is empty."), "file")
    if len(data) > upload_limit():
        raise Invalid(
            "too_big",
            _("The file is larger than %(n)d MB.", n=upload_limit() // 1_000_000),
            "file",
        )
    kind = sniff(data)
    if kind is None:
        raise Invalid(
            "bad_type", _("Only PNG, JPEG and PDF files are taken (read from the file)."), "file"
        )
    original = hashlib.sha256(data).hexdigest()
    if strip:
        data = strip_metadata(data, kind)
    digest = hashlib.sha256(data).hexdigest()
    known = db.session.scalar(
        select(Evidence).where(Evidence.incident_id == incident.id, Evidence.sha256 == digest)
    )
    if known is not None:
        db.session.rollback()
        return known
    _store(digest, data)
    name = "".join(ch for ch in os.path.basename(filename or "") if ch.isprintable())
    row = Evidence(
        incident_id=incident.id,
        sha256=digest,
        content_type=kind,
        size=len(data),
        filename=name[:FILENAME_MAX],
        stripped=strip and digest != original,
        uploaded_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    record = {"evidence": row.id, "sha256": digest, "size": row.size, "content_type": kind}
    if row.stripped:
        record["original_sha256"] = original  # what the camera wrote, before its metadata went
    append_event("evidence_added", actor=actor, incident_id=incident.id, data=record)
    db.session.commit()
    return row


def _store(digest: str, data: bytes) -> None:
    target = path_of(digest)
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)  # never half a file under a hash


def evidence_of(
    incident_id, *, actor, before_id: int | None = None, limit: int | None = None
) -> list[Evidence]:
    """The incident's evidence, newest first (anyone who may read the incident); a page of
    `limit` older than `before_id` when asked."""
    incident = get_incident(incident_id, actor=actor)
    query = select(Evidence).where(Evidence.incident_id == incident.id)
    if before_id is not None:
        query = query.where(Evidence.id < before_id)
    return list(db.session.scalars(query.order_by(Evidence.id.desc()).limit(limit)))


def read_evidence(evidence_id, *, actor) -> tuple[Evidence, bytes, str]:
    """The file's row, bytes and download name, for someone who may read its incident."""
    row = get_by_id(Evidence, evidence_id)
    if row is None:
        raise NotFound("unknown_evidence", _("There is no such evidence."))
    get_incident(row.incident_id, actor=actor)  # a restricted incident's file does not exist
    try:
        data = path_of(row.sha256).read_bytes()
    except OSError:
        raise NotFound("evidence_missing", _("The evidence file is missing.")) from None
    return row, data, f"evidence-{row.id}.{EXTENSIONS[row.content_type]}"


def file_problem(sha256: str) -> str | None:
    """Why the file under a hash is not the file the timeline recorded: missing or changed."""
    try:
        data = path_of(sha256).read_bytes()
    except OSError:
        return "file_missing"
    return None if hashlib.sha256(data).hexdigest() == sha256 else "file_differs"
