"""What the worker waits on between rounds: a new event on PostgreSQL, else its timer.

Every insert into the timeline notifies `crisisdesk_events` (timeline/models.py). A worker on
PostgreSQL listens on its own connection and starts its next round as soon as a notification
arrives, so an escalation or a request for legal review leaves within a second of its event
instead of up to an interval later. The timer stays: steps and reminders fall due by the clock,
and it carries on when the listening connection is lost (the next wait listens again).
"""

from __future__ import annotations

import logging
import threading
import time

import psycopg
from flask import Flask

from ..extensions import db
from ..timeline.models import EVENTS_CHANNEL

log = logging.getLogger(__name__)
#: the least time between the starts of two rounds: under a storm of notes a worker makes a
#: few rounds a second, each taking every event since the last, not one round per note
MIN_GAP = 0.2


class Wakeup:
    """Waits for the next round; listens only where the database can notify."""

    def __init__(self, app: Flask):
        with app.app_context():
            url = db.engine.url
        self.conninfo = (
            url.set(drivername="postgresql").render_as_string(hide_password=False)
            if url.get_backend_name() == "postgresql"
            else None
        )
        self.connection: psycopg.Connection | None = None
        if self.listens:  # before the first round, so an event during it ends the first wait
            self._listening()

    @property
    def listens(self) -> bool:
        """Whether a notification can end a wait early."""
        return self.conninfo is not None

    def wait(self, interval: float, stop: threading.Event, round_started: float) -> None:
        """Return at a notification (not before MIN_GAP after `round_started`, a
        time.monotonic()), after `interval`, or when `stop` is set."""
        if stop.wait(max(0.0, round_started + MIN_GAP - time.monotonic())):
            return
        deadline = round_started + interval
        connection = self._listening() if self.listens else None
        if connection is None:
            stop.wait(max(0.0, deadline - time.monotonic()))
            return
        try:
            # in slices of a second, so a stop is seen; one notification is enough: the round
            # takes every event since the last, and those arriving during it end the next wait
            while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
                for _notify in connection.notifies(timeout=min(remaining, 1.0), stop_after=1):
                    return
        except psycopg.Error:
            log.warning("worker: lost the listening connection; waiting on the timer")
            self.close()
            stop.wait(max(0.0, deadline - time.monotonic()))

    def _listening(self) -> psycopg.Connection | None:
        if self.connection is not None and not self.connection.closed:
            return self.connection
        try:
            self.connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
            self.connection.execute(f"LISTEN {EVENTS_CHANNEL}")
        except psycopg.Error:
            log.warning("worker: cannot listen for events; waiting on the timer")
            self.close()
        return self.connection

    def close(self) -> None:
        """Close the listening connection (a later wait opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
