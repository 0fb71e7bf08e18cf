"""`flask export offline|verify|public-key`: a copy verifies; each bad file is named."""

import base64
import json
import os
import stat
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from crisisdesk.audit.signing import key_path
from crisisdesk.extensions import db
from crisisdesk.public.manifest import sha256
from crisisdesk.public.signing import PublicKey, desk_public_key
from crisisdesk.timeline.models import TimelineEvent

PLAYBOOK = "de/playbooks/phishing-wave-de.html"


@pytest.fixture
def exported(runner, tmp_path):
    """A bundle written by the command line to a new folder."""
    target = tmp_path / "stick" / "crisisdesk"
    target.parent.mkdir()
    result = runner.invoke(args=["export", "offline", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ")
    return target


def verify(runner, path, *extra):
    return runner.invoke(args=["export", "verify", str(path), *extra])


def test_an_untouched_copy_verifies(runner, exported):
    listed = json.loads((exported / "manifest.json").read_text())["files"]
    result = verify(runner, exported)
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: {len(listed)} files\n"
    assert "public-key.txt" in listed and "index.html" in listed


@pytest.mark.parametrize(
    "damage,named",
    [
        (lambda root: (root / PLAYBOOK).write_text("<p>Alles gut</p>"), f"changed: {PLAYBOOK}"),
        (lambda root: (root / "en" / "index.html").unlink(), "missing: en/index.html"),
        (lambda root: (root / "de" / "notes.txt").write_text("hi"), "extra: de/notes.txt"),
    ],
    ids=["edited", "missing", "added"],
)
def test_verify_names_an_edited_a_missing_and_an_added_file(runner, exported, damage, named):
    damage(exported)
    result = verify(runner, exported)
    assert result.exit_code == 1
    assert result.output.splitlines() == [named]


def test_verify_names_every_bad_file_at_once(runner, exported):
    (exported / PLAYBOOK).write_bytes((exported / PLAYBOOK).read_bytes() + b" ")
    (exported / "style.css").unlink()
    (exported / ".DS_Store").write_bytes(b"\0")
    result = verify(runner, exported)
    assert result.exit_code == 1
    assert sorted(result.output.splitlines()) == sorted(
        [f"changed: {PLAYBOOK}", "missing: style.css", "extra: .DS_Store"]
    )


def test_a_manifest_made_to_match_an_edit_breaks_the_signature(runner, exported):
    (exported / PLAYBOOK).write_text("<p>Alles gut</p>")
    manifest = json.loads((exported / "manifest.json").read_text())
    manifest["files"][PLAYBOOK] = sha256(b"<p>Alles gut</p>")
    (exported / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    result = verify(runner, exported)
    assert result.exit_code == 1
    assert "bad signature: manifest.json is not signed by the bundle's key" in result.output
    assert "changed:" not in result.output  # the files match the (forged) manifest
    (exported / "manifest.sig").unlink()
    assert "missing: manifest.sig" in verify(runner, exported).output


def test_a_copy_re_signed_with_another_key_fails_against_the_desks_key(runner, exported):
    forger = Ed25519PrivateKey.generate()
    (exported / PLAYBOOK).write_text("<p>Alles gut</p>")
    manifest = json.loads((exported / "manifest.json").read_text())
    forged_key = PublicKey(forger.public_key())
    (exported / "public-key.txt").write_text(forged_key.text())
    for name in (PLAYBOOK, "public-key.txt"):
        manifest["files"][name] = sha256((exported / name).read_bytes())
    raw = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    (exported / "manifest.json").write_bytes(raw)
    (exported / "manifest.sig").write_text(base64.b64encode(forger.sign(raw)).decode())
    result = verify(runner, exported)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad signature: manifest.json is not signed by this desk's key"
    ]


def test_verify_against_a_given_public_key(runner, exported, tmp_path):
    desk = tmp_path / "desk.pub"
    desk.write_text(desk_public_key().text())
    assert verify(runner, exported, "--public-key", str(desk)).exit_code == 0
    other = tmp_path / "other.pub"
    other.write_text(base64.b64encode(os.urandom(32)).decode())  # 32 bytes: some other key
    result = verify(runner, exported, "--public-key", str(other))
    assert result.exit_code == 1
    assert f"not signed by the key in {other}" in result.output


def test_zip_export_verifies_and_an_edited_entry_is_named(runner, tmp_path):
    target = tmp_path / "bundle.zip"
    assert runner.invoke(args=["export", "offline", str(target)]).exit_code == 0
    assert verify(runner, target).output.startswith("ok: ")
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(edited, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, b"x" if info.filename.endswith("en/index.html") else data)
    result = verify(runner, edited)
    assert result.exit_code == 1 and result.output.splitlines() == ["changed: en/index.html"]


def test_export_refuses_a_folder_that_holds_something(runner, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.html").write_text("old")
    result = runner.invoke(args=["export", "offline", str(tmp_path / "full")])
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert verify(runner, tmp_path / "nothing-here").exit_code == 2  # click: no such path


def test_export_is_on_the_timeline_and_chooses_personal_data(runner, tmp_path):
    args = ["export", "offline", str(tmp_path / "b"), "--with-contacts", "--with-rotas"]
    assert runner.invoke(args=args).exit_code == 0
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "offline_bundle_made")
    ).one()
    data = json.loads(event.data)
    assert data["contacts"] is True and data["rotas"] is True
    assert data["sha256"] == sha256((tmp_path / "b" / "manifest.json").read_bytes())
    assert (tmp_path / "b" / "de" / "contacts.html").exists()


def test_public_key_command_prints_the_key_kept_in_a_private_file(runner):
    result = runner.invoke(args=["export", "public-key"])
    assert result.exit_code == 0
    key = desk_public_key(create=False)
    assert result.output.splitlines()[0] == f"ed25519 {key.base64}"
    assert key.fingerprint in result.output and "BEGIN PUBLIC KEY" in result.output
    assert len(base64.b64decode(key.base64)) == 32
    assert stat.S_IMODE(key_path().stat().st_mode) == 0o600
