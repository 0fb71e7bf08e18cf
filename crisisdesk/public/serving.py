"""Serve the written public files in front of the app: no session, no database, 304 when unchanged.

Customers hit a notice page hardest exactly when online banking is down, so the files are
answered before Flask's request handling starts. A file's bytes are kept in memory keyed by its
inode, modification time and size: the renderer replaces files atomically (a new inode), so a
kept copy can only be served while it is still the file on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

#: a path segment a public file can have: nothing that climbs out of the folder
SEGMENT = re.compile(r"^[A-Za-z0-9_-]+(?:\.[a-z]+)?$")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
#: the public pages have no scripts, forms or frames
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

PUBLIC_HEADERS = (
    ("Content-Security-Policy", POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


@dataclass(frozen=True)
class PublicFile:
    """A file's bytes and the validators derived from them."""

    identity: tuple
    body: bytes
    etag: str
    modified: float
    content_type: str
    last_modified: str  #: the HTTP date of `modified`, formatted once


def relative_file(rest: str) -> str | None:
    """The file a path under the prefix names ('' → index.html, 'notices/x' → notices/x.html)."""
    if rest == "" or rest.endswith("/"):
        rest += "index.html"
    segments = rest.split("/")
    if not all(SEGMENT.match(segment) for segment in segments):
        return None
    if "." not in segments[-1]:
        segments[-1] += ".html"
    return "/".join(segments)


def read_public_file(path: Path) -> PublicFile | None:
    """The file as it is on disk now (None if it is not there)."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            body = handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return PublicFile(
        identity=(stat.st_ino, stat.st_mtime_ns, stat.st_size),
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        modified=int(stat.st_mtime),
        content_type=TYPES.get(path.suffix, "application/octet-stream"),
        last_modified=formatdate(int(stat.st_mtime), usegmt=True),
    )


class PublicFiles:
    """WSGI middleware: answer GET/HEAD under the prefix from the folder, pass the rest on."""

    def __init__(self, app, directory, prefix: str, max_age: int):
        self.app = app
        #: a callable giving the folder, asked per request (an app's instance path may move)
        self.directory = directory
        self.prefix = prefix
        self.cache_control = f"public, max-age={int(max_age)}"
        self._kept: dict[str, PublicFile] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and path.startswith(self.prefix):
            found = self.lookup(path[len(self.prefix) :])
            if found is not None:
                return self.answer(found, environ, start_response)
        return self.app(environ, start_response)

    def lookup(self, rest: str) -> PublicFile | None:
        """The current file for a path under the prefix, from memory while it is unchanged."""
        relative = relative_file(rest)
        if relative is None:
            return None
        path = self.directory() / relative
        try:
            stat = os.stat(path)
        except OSError:
            return None
        key = str(path)
        kept = self._kept.get(key)
        if kept is not None and kept.identity == (stat.st_ino, stat.st_mtime_ns, stat.st_size):
            return kept
        fresh = read_public_file(path)
        if fresh is not None:
            with self._lock:
                self._kept[key] = fresh
        return fresh

    def answer(self, found: PublicFile, environ, start_response):
        """200 with the file, or 304 when the client's copy is current."""
        status, headers, body = file_answer(found, environ, self.cache_control)
        start_response(status, headers)
        return body


def file_answer(found: PublicFile, environ, cache_control: str) -> tuple[str, list, list]:
    """(status, headers, body) for a public file: 304 when the client's copy is current."""
    headers = [
        ("Content-Type", found.content_type),
        ("ETag", found.etag),
        ("Last-Modified", found.last_modified),
        ("Cache-Control", cache_control),
        *PUBLIC_HEADERS,
    ]
    if not_modified(found, environ):
        return "304 Not Modified", headers, []
    headers.append(("Content-Length", str(len(found.body))))
    head = environ.get("REQUEST_METHOD") == "HEAD"
    return "200 OK", headers, [] if head else [found.body]


def not_modified(found: PublicFile, environ) -> bool:
    """Whether the request's validators match the file (If-None-Match wins over the date)."""
    tags = environ.get("HTTP_IF_NONE_MATCH")
    if tags is not None:
        offered = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in offered or found.etag in offered
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return found.modified <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False
