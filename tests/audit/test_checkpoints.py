"""Signed checkpoints anchor the chain outside the
database: a consistent rewrite no longer passes.
"""

import base64
import email
import json
import os
import stat
from email import policy

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import func, select

from crisisdesk.audit.checkpoints import checkpoint_dir, write_due_checkpoint
from crisisdesk.audit.models import ChainCheckpoint
from crisisdesk.audit.signing import key_path, public_pem
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.review import service as review
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.chain import canonical_json
from crisisdesk.timeline.models import ChainHead

from ..conftest import free_port, run_together
from ..notify.conftest import smtp  # noqa: F401 - the SMTP server fixture, for the mailed checkpoints
from ..timeline.test_chain import add_toy_events
from .attacker import rewrite_chain, shorten_chain


def _files() -> list:
    return sorted(checkpoint_dir().glob("*.json"))


def _verify(runner, *extra):
    return runner.invoke(
        args=["audit", "verify", "--workers", "1", "--checkpoints", str(checkpoint_dir()), *extra]
    )


def _auditor_key(runner, tmp_path):
    """What an auditor keeps: the public key as printed."""
    result = runner.invoke(args=["audit", "public-key"])
    assert result.exit_code == 0 and result.output.startswith("-----BEGIN PUBLIC KEY-----")
    kept = tmp_path / "desk-public.pem"
    kept.write_text(result.output)
    return kept


def test_a_checkpoint_is_signed_with_a_key_kept_outside_the_database(app, runner, clock, tmp_path):
    add_toy_events(3)
    assert write_due_checkpoint() == 1
    [file] = _files()
    doc = json.loads(file.read_text())
    head = db.session.get(ChainHead, 1)
    assert set(doc) == {"seq", "hash", "at", "public_key", "signature"}
    assert (doc["seq"], doc["hash"], doc["at"]) == (3, head.hash, "2026-11-29T09:00:00.000000Z")
    assert stat.S_IMODE(os.stat(key_path()).st_mode) == 0o600
    kept = _auditor_key(runner, tmp_path)
    assert kept.read_text() == doc["public_key"]
    message = canonical_json({"seq": doc["seq"], "hash": doc["hash"], "at": doc["at"]}).encode()
    load_pem_public_key(kept.read_bytes()).verify(
        base64.b64decode(doc["signature"]), message
    )  # raises if bad
    result = _verify(runner, "--public-key", str(kept))
    assert result.exit_code == 0 and "1 checkpoints hold" in result.output


def test_a_consistently_rewritten_chain_passes_plain_verify_but_not_its_checkpoints(
    app, runner, clock, tmp_path
):
    add_toy_events(5)
    write_due_checkpoint()
    kept = _auditor_key(runner, tmp_path)
    add_toy_events(2)
    rewrite_chain(2, '{"n":1,"text":"Nothing to see"}')
    assert verify_chain().ok
    plain = runner.invoke(args=["audit", "verify", "--workers", "1"])
    assert plain.exit_code == 0, plain.output
    result = _verify(runner, "--public-key", str(kept))
    assert result.exit_code == 1
    assert f"CHECKPOINT {_files()[0].name}: hash_differs" in result.output


def test_a_shortened_chain_fails_its_checkpoints(app, runner, clock):
    add_toy_events(5)
    write_due_checkpoint()
    shorten_chain(3)
    assert verify_chain().ok
    result = _verify(runner)
    assert (
        result.exit_code == 1 and f"CHECKPOINT {_files()[0].name}: chain_shorter" in result.output
    )


def test_a_tampered_or_foreign_checkpoint_fails_on_its_signature(app, runner, clock, tmp_path):
    add_toy_events(3)
    write_due_checkpoint()
    kept = _auditor_key(runner, tmp_path)
    [file] = _files()
    doc = json.loads(file.read_text())
    file.write_text(json.dumps({**doc, "at": "2026-11-29T08:00:00.000000Z"}))
    result = _verify(runner, "--public-key", str(kept))
    assert result.exit_code == 1 and f"CHECKPOINT {file.name}: bad_signature" in result.output
    # signed anew by someone else's key, their public
    # key put in the file: the kept key still refuses it
    other = Ed25519PrivateKey.generate()
    message = canonical_json({"seq": doc["seq"], "hash": doc["hash"], "at": doc["at"]}).encode()
    file.write_text(
        json.dumps(
            {
                **doc,
                "public_key": public_pem(other),
                "signature": base64.b64encode(other.sign(message)).decode(),
            }
        )
    )
    assert (
        f"CHECKPOINT {file.name}: bad_signature"
        in _verify(runner, "--public-key", str(kept)).output
    )
    file.write_text("{not json")
    assert f"CHECKPOINT {file.name}: unreadable" in _verify(runner).output


def test_written_when_the_interval_passed_and_the_chain_grew_or_an_incident_closed(
    app, clock, make_user
):
    olga, max_ = make_user("olga", roles=["oncall"]), make_user("max", roles=["management"])
    assert write_due_checkpoint() == 1  # the first: the chain holds the users
    assert write_due_checkpoint() == 0  # the head did not move
    incident = incidents.open_incident(
        actor=olga, title="Outage", severity=2, playbook="it-provider-outage-en"
    )
    clock.advance(minutes=59)
    assert write_due_checkpoint() == 0  # grew, but within the hour
    clock.advance(minutes=1)
    assert write_due_checkpoint() == 1
    clock.advance(minutes=180)
    assert write_due_checkpoint() == 0  # an idle desk writes none, however long it idles
    for status in ("monitoring", "resolved"):
        incidents.update_incident(incident.id, actor=olga, status=status)
    review.update_postmortem(incident.id, actor=max_, summary="Handled.")
    clock.advance(minutes=1)
    assert write_due_checkpoint() == 1  # the interval passed
    incidents.update_incident(incident.id, actor=olga, status="closed")
    clock.advance(minutes=1)
    assert write_due_checkpoint() == 1  # a close is anchored at once
    add_toy_events(1)
    clock.advance(minutes=1)
    assert write_due_checkpoint() == 0  # that close is anchored already
    heads = db.session.scalars(select(ChainCheckpoint.seq).order_by(ChainCheckpoint.seq)).all()
    assert len(heads) == 4 == len(_files())


def test_several_workers_sign_one_head_once(app, clock):
    add_toy_events(3)
    results, errors = run_together(app, 4, lambda _index: write_due_checkpoint())
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    assert (
        db.session.scalar(select(func.count()).select_from(ChainCheckpoint)) == 1 == len(_files())
    )


def test_checkpoints_are_mailed_and_a_failed_mail_is_retried_later(app, smtp, clock):  # noqa: F811
    working_port = app.config["MAIL_PORT"]
    app.config.update(
        AUDIT_MAIL="audit@bank.example", MAIL_PORT=free_port()
    )  # nobody listens there
    add_toy_events(2)
    assert write_due_checkpoint() == 1
    checkpoint = db.session.scalar(select(ChainCheckpoint))
    assert checkpoint.mailed_at is None and checkpoint.mail_attempts == 1 and checkpoint.mail_error
    app.config["MAIL_PORT"] = working_port
    write_due_checkpoint()
    assert smtp.messages == []  # not hammering the server: the next attempt waits a minute
    clock.advance(minutes=2)
    assert write_due_checkpoint() == 0 and len(smtp.messages) == 1
    message = email.message_from_bytes(smtp.messages[0].content, policy=policy.default)
    assert (
        smtp.messages[0].rcpt_tos == ["audit@bank.example"]
        and str(checkpoint.seq) in message["Subject"]
    )
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == _files()[0].name
    assert attachment.get_content() == _files()[0].read_bytes()
    db.session.refresh(checkpoint)
    assert checkpoint.mailed_at == clock.now() and checkpoint.mail_error == ""
    clock.advance(minutes=120)
    write_due_checkpoint()
    assert len(smtp.messages) == 1  # mailed once
