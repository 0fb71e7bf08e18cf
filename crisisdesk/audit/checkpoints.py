"""Signed checkpoints of the chain's head, kept where the database cannot reach (files, mail).

Whoever can change the database can rewrite the whole chain consistently; they cannot sign an
old head again without the key, and a copy already mailed or filed away stays as it was.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import begin_write
from ..extensions import db
from ..mail import base_message, send_mail
from ..timeline.chain import canonical_json, format_at
from ..timeline.models import ChainHead, TimelineEvent
from . import signing
from .models import ChainCheckpoint

log = logging.getLogger(__name__)
FILE_PREFIX = "checkpoint-"


def checkpoint_dir() -> Path:
    """Where checkpoint files go (CHECKPOINT_DIR, default <instance>/checkpoints)."""
    configured = current_app.config.get("CHECKPOINT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "checkpoints"


def signed_message(seq: int, hash_: str, at: str) -> bytes:
    """The bytes a checkpoint's signature covers: the canonical JSON of {seq, hash, at}."""
    return canonical_json({"seq": seq, "hash": hash_, "at": at}).encode("utf-8")


def document(checkpoint: ChainCheckpoint, public_key: str) -> bytes:
    """The checkpoint file's content."""
    body = {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": format_at(checkpoint.at),
        "public_key": public_key,
        "signature": checkpoint.signature,
    }
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_due_checkpoint() -> int:
    """Sign the head when due, then retry unsent checkpoint
    mail; return how many checkpoints were written.

    Due: the chain grew since the last checkpoint and either CHECKPOINT_INTERVAL passed or an
    incident was closed since. An idle desk writes none.
    """
    written = _write_if_due()
    _mail_pending()
    return written


def _head() -> tuple[int, str]:
    return tuple(
        db.session.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)).one()
    )


def _last() -> ChainCheckpoint | None:
    return db.session.scalar(
        select(ChainCheckpoint)
        .order_by(ChainCheckpoint.seq.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def is_due(head_seq: int, last: ChainCheckpoint | None, now) -> bool:
    """Whether a checkpoint of the head at `head_seq` is due now."""
    if head_seq == 0 or (last is not None and head_seq <= last.seq):
        return False
    if last is None or now - last.at >= timedelta(
        seconds=int(current_app.config["CHECKPOINT_INTERVAL"])
    ):
        return True
    # the events since the last checkpoint by sequence (the primary key), then by kind
    # (kind || '': the index on kind alone would have PostgreSQL walk every status change of
    # all time, each round)
    changes = db.session.scalars(
        select(TimelineEvent.data).where(
            TimelineEvent.seq > last.seq, (TimelineEvent.kind + "") == "status_changed"
        )
    )
    return any(json.loads(data).get("after") == "closed" for data in changes)


def _write_if_due() -> int:
    now = clock.now()
    # decided without the write lock first: most rounds
    # have nothing to do and must not queue writers
    if not is_due(_head()[0], _last(), now):
        db.session.rollback()
        return 0
    begin_write()
    seq, hash_ = _head()
    if not is_due(seq, _last(), now):
        db.session.rollback()
        return 0
    key = signing.signing_key()
    at = format_at(now)
    checkpoint = ChainCheckpoint(
        seq=seq,
        hash=hash_,
        at=now,
        file=f"{FILE_PREFIX}{seq:012d}.json",
        signature=signing.sign(key, signed_message(seq, hash_, at)),
        mail_to=current_app.config.get("AUDIT_MAIL") or None,
    )
    db.session.add(checkpoint)
    try:
        db.session.flush()
    except IntegrityError:  # another worker signed this head a moment ago
        db.session.rollback()
        return 0
    _store(checkpoint, signing.public_pem(key))
    db.session.commit()
    log.info("checkpoint written at event %s", seq)
    return 1


def _store(checkpoint: ChainCheckpoint, public_key: str) -> None:
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{checkpoint.file}.partial"
    partial.write_bytes(document(checkpoint, public_key))
    os.replace(partial, folder / checkpoint.file)  # a reader never sees half a file


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def _mail_pending(limit: int = 5) -> int:
    """Mail checkpoints not yet mailed whose last attempt
    is long enough ago; return how many went out.
    """
    now = clock.now()
    candidates = db.session.scalars(
        select(ChainCheckpoint)
        .where(ChainCheckpoint.mail_to.is_not(None), ChainCheckpoint.mailed_at.is_(None))
        .order_by(ChainCheckpoint.seq)
        .limit(limit)
    ).all()
    due = [
        (c.id, c.mail_attempts)
        for c in candidates
        if c.mail_tried_at is None or now - c.mail_tried_at >= _backoff(c.mail_attempts)
    ]
    db.session.rollback()
    sent = 0
    for checkpoint_id, attempts in due:
        checkpoint = _claim(checkpoint_id, attempts, now)
        if checkpoint is not None:
            sent += _mail(checkpoint)
    return sent


def _claim(checkpoint_id: int, attempts: int, now) -> ChainCheckpoint | None:
    """Compare-and-set on the number of attempts: of several workers, one mails."""
    begin_write()
    won = (
        db.session.execute(
            update(ChainCheckpoint)
            .where(
                ChainCheckpoint.id == checkpoint_id,
                ChainCheckpoint.mailed_at.is_(None),
                ChainCheckpoint.mail_attempts == attempts,
            )
            .values(mail_tried_at=now, mail_attempts=ChainCheckpoint.mail_attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    db.session.commit()
    return db.session.get(ChainCheckpoint, checkpoint_id, populate_existing=True) if won else None


def _mail(checkpoint: ChainCheckpoint) -> int:
    try:
        public_key = signing.public_pem(signing.signing_key())
        message = base_message(
            _("Timeline checkpoint at event %(seq)d", seq=checkpoint.seq), checkpoint.mail_to
        )
        message.set_content(
            _(
                "Keep this message and its attachment: it anchors the CrisisDesk timeline.\n\n"
                "Event: %(seq)d\nHash: %(hash)s\nSigned at: %(at)s\n\n"
                "Check the desk against it with\n"
                "  flask --app app audit verify --checkpoints FOLDER --public-key KEY.pem\n",
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                at=format_at(checkpoint.at),
            )
        )
        message.add_attachment(
            document(checkpoint, public_key),
            maintype="application",
            subtype="json",
            filename=checkpoint.file,
        )
        send_mail(message)
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is recorded and retried later
        log.warning("checkpoint %s not mailed: %s", checkpoint.seq, exc)
        _record_mail(checkpoint.id, error=f"{type(exc).__name__}: {exc}"[:1000])
        return 0
    _record_mail(checkpoint.id, mailed_at=clock.now(), error="")
    return 1


def _record_mail(checkpoint_id: int, error: str, mailed_at=None) -> None:
    begin_write()
    db.session.execute(
        update(ChainCheckpoint)
        .where(ChainCheckpoint.id == checkpoint_id)
        .values(mailed_at=mailed_at, mail_error=error)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


@dataclass
class CheckpointReport:
    """What verify_checkpoints() found: one (file, problem) per checkpoint that does not hold."""

    checked: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problems": [{"file": name, "problem": problem} for name, problem in self.problems],
        }


def verify_checkpoints(directory, public_key_pem: str | bytes | None = None) -> CheckpointReport:
    """Check every checkpoint file in `directory`: its
    signature, and that the stored chain still holds it.

    Without `public_key_pem` the desk's own key is trusted; an auditor passes the key they kept.
    """
    report = CheckpointReport()
    try:
        key = (
            signing.load_public(public_key_pem)
            if public_key_pem is not None
            else signing.signing_key(create=False).public_key()
        )
    except signing.KeyProblem:
        report.problems.append(("", "no_public_key"))
        return report
    head_seq = _head()[0]
    for path in sorted(Path(directory).glob("*.json")):
        report.checked += 1
        problem = _problem(path, key, head_seq)
        if problem:
            report.problems.append((path.name, problem))
    return report


def _problem(path: Path, key, head_seq: int) -> str | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        seq, hash_, at, signature = (
            int(doc["seq"]),
            str(doc["hash"]),
            str(doc["at"]),
            doc["signature"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable"
    if not signing.signature_holds(key, signed_message(seq, hash_, at), signature):
        return "bad_signature"
    if seq > head_seq:
        return "chain_shorter"
    stored = db.session.scalar(select(TimelineEvent.hash).where(TimelineEvent.seq == seq))
    if stored is None:
        return "event_missing"
    return None if stored == hash_ else "hash_differs"
