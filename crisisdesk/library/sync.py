"""Record content versions when a server process starts serving, and again when files change."""

from __future__ import annotations

import threading

from flask import Flask, current_app, request

from . import service
from .store import get_library

_lock = threading.Lock()


def register_sync_on_start(app: Flask) -> None:
    """Before a request uses the library, make sure its versions are in the database."""
    app.extensions["crisisdesk.synced_libraries"] = (
        set()
    )  # ids of Library objects recorded by this app

    @app.before_request
    def _sync_library():
        if request.endpoint in (None, "static", "bootstrap.static"):
            return
        synced = current_app.extensions["crisisdesk.synced_libraries"]
        library = get_library()
        if id(library) in synced:
            return
        with _lock:
            if id(library) not in synced:
                service.sync_versions(library)
                synced.add(id(library))
