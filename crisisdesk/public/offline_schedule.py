"""Bundles the worker writes on a schedule into OFFLINE_DIR (the last three kept, a `current`
link to the newest), and what the admin page shows of them."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from .. import clock
from ..accounts.permissions import require_role
from . import signing
from .manifest import MANIFEST, sha256
from .offline import CHOICES, KEEP, Bundle, make_bundle, record_bundle, stamp, write_folder


@dataclass
class Scheduled:
    """A bundle the worker wrote to OFFLINE_DIR, as its manifest states it."""

    folder: Path
    made_at: datetime
    files: int
    sha256: str
    contacts: bool
    rotas: bool


def offline_dir() -> Path | None:
    """Where the worker keeps bundles (OFFLINE_DIR); None: no scheduled bundles."""
    configured = current_app.config.get("OFFLINE_DIR")
    return Path(configured) if configured else None


def scheduled_choices() -> dict[str, bool]:
    """What the worker's bundles include (OFFLINE_INCLUDE, e.g. "contacts,rotas"; default none)."""
    chosen = {
        part.strip() for part in str(current_app.config.get("OFFLINE_INCLUDE") or "").split(",")
    }
    return {name: name in chosen for name in CHOICES}


def scheduled_bundles(folder: Path | None = None) -> list[Scheduled]:
    """The bundles in OFFLINE_DIR whose manifest reads, newest first."""
    folder = folder or offline_dir()
    found = []
    for candidate in sorted(folder.glob("bundle-*")) if folder and folder.is_dir() else []:
        try:
            raw = (candidate / MANIFEST).read_bytes()
            document = json.loads(raw)
            made_at = datetime.fromisoformat(document["made_at"].replace("Z", "+00:00"))
            includes = document.get("includes") or {}
            found.append(
                Scheduled(
                    candidate,
                    made_at,
                    len(document["files"]),
                    sha256(raw),
                    bool(includes.get("contacts")),
                    bool(includes.get("rotas")),
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a half-written or foreign folder is no bundle
    return sorted(found, key=lambda bundle: bundle.made_at, reverse=True)


def refresh_offline_bundle_if_due() -> bool:
    """Write a new bundle to OFFLINE_DIR when the newest is OFFLINE_EVERY_MINUTES old; say if."""
    folder = offline_dir()
    if folder is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        try:
            # several workers tick at once: one writes, the others find the lock taken
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if not _due(folder):
            return False
        choices = scheduled_choices()
        bundle = make_bundle(**choices)
        _swap_in(bundle, folder)
        record_bundle(bundle, actor=None)
        return True


def _due(folder: Path) -> bool:
    every = timedelta(minutes=int(current_app.config.get("OFFLINE_EVERY_MINUTES", 60)))
    newest = scheduled_bundles(folder)
    return not newest or clock.now() - newest[0].made_at >= every


def _swap_in(bundle: Bundle, folder: Path) -> None:
    """Write into a fresh folder, point `current` at it in one step, keep the newest KEEP."""
    name = f"bundle-{stamp(bundle.made_at)}"
    while (folder / name).exists():
        name += "-1"
    partial = folder / f".partial-{uuid.uuid4().hex}"
    write_folder(bundle, partial)
    partial.rename(folder / name)
    _point_current(folder, name)
    kept = {b.folder.name for b in scheduled_bundles(folder)[:KEEP]} | {name}
    for old in folder.glob("bundle-*"):
        if old.name not in kept:
            shutil.rmtree(old, ignore_errors=True)
    for stale in folder.glob(".partial-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a worker that died mid-write


def _point_current(folder: Path, name: str) -> None:
    """Point `current` (a symlink) and `current.txt` at the newest bundle, each in one step."""
    note = folder / f".current-{uuid.uuid4().hex}.txt"
    note.write_text(name + "\n")
    os.replace(note, folder / "current.txt")  # for shares that show no symlinks
    link = folder / f".current-{uuid.uuid4().hex}"
    try:
        link.symlink_to(name, target_is_directory=True)
        os.replace(link, folder / "current")  # readers see the old bundle or the new, never neither
    except OSError:
        link.unlink(missing_ok=True)  # a file system without symlinks: current.txt names it


def offline_page(*, actor) -> dict:
    """What the admin page shows: the desk's public key and the scheduled bundles."""
    require_role(actor, "admin")
    scheduled = scheduled_bundles()
    return {
        "key": signing.desk_public_key(),
        "directory": offline_dir(),
        "every": int(current_app.config.get("OFFLINE_EVERY_MINUTES", 60)),
        "choices": scheduled_choices(),
        "last": scheduled[0] if scheduled else None,
    }
