"""The process's copy of the content folder, reloaded when a file changes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .content import Library
from .loader import load_library

RECHECK_SECONDS = 1.0
_lock = threading.Lock()
_cache: dict[str, _Entry] = {}


@dataclass
class _Entry:
    stamp: tuple
    checked_at: float
    library: Library


def _stamp(root: Path) -> tuple:
    files = [
        root / "escalation.yaml",
        root / "wording.yaml",  # a new rule can make a file's problems appear or go
        *root.glob("*.md"),
        *(root / "statements").glob("*.md"),
    ]
    return tuple(
        sorted((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists())
    )


def get_library(content_dir: str | None = None) -> Library:
    """Return the current library, re-reading the folder when any file changed."""
    root = str(content_dir or current_app.config["CONTENT_DIR"])
    entry = _cache.get(root)
    now = time.monotonic()
    if entry is not None and now - entry.checked_at < RECHECK_SECONDS:
        return entry.library
    with _lock:
        stamp = _stamp(Path(root)) if Path(root).is_dir() else ()
        entry = _cache.get(root)
        if entry is None or entry.stamp != stamp:
            entry = _Entry(stamp, now, load_library(root))
            _cache[root] = entry
        entry.checked_at = now
        return entry.library


def invalidate(content_dir: str | None = None) -> None:
    """Forget the cached copy, so the next get_library() reads the folder again."""
    with _lock:
        if content_dir is None:
            _cache.clear()
        else:
            _cache.pop(str(content_dir), None)
