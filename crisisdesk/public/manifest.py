"""The bundle's manifest (every file with its SHA-256), its signature, and checking a copy."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .signing import KeyProblem, PublicKey, parse_public_key

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORMAT = "crisisdesk-offline/1"
MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public-key.txt"
#: files the manifest cannot list: itself and the signature over it
UNLISTED = (MANIFEST, SIGNATURE)


def sha256(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(files: dict[str, bytes], **about) -> bytes:
    """The manifest over `files` (path → bytes) with what else the bundle states, as signed."""
    document = {
        "format": FORMAT,
        **about,
        "files": {path: sha256(data) for path, data in sorted(files.items())},
    }
    # sorted keys and a fixed layout: the same bundle always gives the same bytes to sign
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def desk_version() -> dict:
    """The desk's version and, when it runs from a checkout, its commit (read, never asked)."""
    found: dict = {"version": None, "commit": None}
    try:
        found["version"] = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"][
            "version"
        ]
        head = (PROJECT_ROOT / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            head = (PROJECT_ROOT / ".git" / head[5:]).read_text().strip()
        found["commit"] = head if len(head) == 40 else None
    except (OSError, KeyError, ValueError):
        pass
    return found


@dataclass
class Report:
    """What checking a copy found: each problem as `kind: path`, and the files that matched."""

    problems: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def read_copy(path: str | os.PathLike) -> dict[str, bytes]:
    """Every file of a bundle folder or zip, by its path inside the bundle (posix)."""
    path = Path(path)
    if path.is_file():
        return _read_zip(path)
    if not path.is_dir():
        raise FileNotFoundError(f"no bundle at {path}")
    found = {}
    root = path.resolve()
    for folder, _dirs, names in os.walk(root):
        for name in names:
            file = Path(folder) / name
            found[file.relative_to(root).as_posix()] = file.read_bytes()
    return found


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            found = {
                info.filename: archive.read(info)
                for info in archive.infolist()
                if not info.is_dir()
            }
    except zipfile.BadZipFile:
        raise FileNotFoundError(f"{path} is neither a bundle folder nor a zip") from None
    # the download wraps the bundle in one folder; checked paths are those inside it
    tops = {name.split("/", 1)[0] for name in found}
    if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST}" in found:
        top = next(iter(tops)) + "/"
        found = {name.removeprefix(top): data for name, data in found.items()}
    return found


def check_copy(files: dict[str, bytes], trusted: list[tuple[str, PublicKey]] = ()) -> Report:
    """Compare a copy with its manifest; check the signature with its own and `trusted` keys.

    `trusted` holds (name, key) pairs, e.g. ("this desk's key", key): a bundle re-signed with
    another key then fails, though it agrees with the key it carries.
    """
    report = Report()
    raw = files.get(MANIFEST)
    if raw is None:
        report.problems.append(f"missing: {MANIFEST}")
        return report
    listed = _listed(raw)
    if listed is None:
        report.problems.append(f"changed: {MANIFEST} (not a manifest)")
        return report
    _check_signature(files, raw, trusted, report)
    for path, digest in sorted(listed.items()):
        if path not in files:
            report.problems.append(f"missing: {path}")
        elif sha256(files[path]) != digest:
            report.problems.append(f"changed: {path}")
        else:
            report.checked += 1
    for path in sorted(set(files) - set(listed) - set(UNLISTED)):
        report.problems.append(f"extra: {path}")
    return report


def _listed(raw: bytes) -> dict[str, str] | None:
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    listed = document.get("files")
    if not isinstance(listed, dict):
        return None
    if not all(isinstance(d, str) and _safe(p) for p, d in listed.items()):
        return None
    return listed


def _safe(path) -> bool:
    # a manifest names files inside the bundle only: no absolute paths, no way up
    if not isinstance(path, str) or not path or "\\" in path:
        return False
    parts = PurePosixPath(path).parts
    return not PurePosixPath(path).is_absolute() and ".." not in parts and path not in UNLISTED


def _check_signature(files, raw: bytes, trusted, report: Report) -> None:
    signature = files.get(SIGNATURE)
    if signature is None:
        report.problems.append(f"missing: {SIGNATURE}")
        return
    signature = signature.decode("ascii", "replace").strip()
    own = None
    if PUBLIC_KEY in files:
        try:
            own = parse_public_key(files[PUBLIC_KEY])
        except KeyProblem:
            report.problems.append(f"changed: {PUBLIC_KEY} (no Ed25519 key in it)")
    if own is not None and not own.verifies(raw, signature):
        report.problems.append("bad signature: manifest.json is not signed by the bundle's key")
    for name, key in trusted:
        if not key.verifies(raw, signature):
            report.problems.append(f"bad signature: manifest.json is not signed by {name}")
