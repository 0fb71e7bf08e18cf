"""Fill a fresh database with years of realistic history, fast.

Bulk inserts, one pass, a valid chain.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, select, text, update

from crisisdesk import create_app
from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import sessions, tokens
from crisisdesk.extensions import db
from crisisdesk.incidents.models import (
    EscalationStep,
    Incident,
    IncidentChecklistItem,
    RefCounter,
    RoleAssignment,
)
from crisisdesk.library import service as library
from crisisdesk.library.models import ContentVersion
from crisisdesk.responses.models import Response, ResponseRevision, Review
from crisisdesk.search.rebuild import rebuild
from crisisdesk.timeline.chain import canonical_json, event_hash
from crisisdesk.timeline.models import ChainHead, StateHead, TimelineEvent

BATCH = 5000
#: what notes and summaries are made of, three or four phrases each: one phrase is in about one
#: text in nine, two given phrases together in about one in 150
PHRASES = [
    "Kundin meldet doppelte Buchung der Überweisung.",
    "Screenshot des Posts liegt vor.",
    "Service-Center informiert.",
    "Antwortvorschlag mit der Rechtsabteilung abgestimmt.",
    "Geldautomat in der Filiale Nord gesprengt.",
    "Online-Banking seit 9 Uhr nicht erreichbar.",
    "Kartenzahlung im Handel gestört.",
    "Phishing-Mails im Namen der Bank im Umlauf.",
    "Falsches Support-Konto auf X gemeldet.",
    "Presseanfrage vom Lokalradio eingegangen.",
    "Filiale Süd bleibt heute geschlossen.",
    "Hotline überlastet, Wartezeit 40 Minuten.",
    "IT-Dienstleister arbeitet an der Störung.",
    "Statusseite aktualisiert.",
    "Vorstand informiert.",
    "Datenschutzbeauftragte eingebunden.",
    "Schockanrufe bei älteren Mitgliedern gemeldet.",
    "Gebührenerhöhung sorgt für Kritik.",
    "Influencer teilt den Beitrag, Reichweite steigt.",
    "Customer reports the app crashes at login.",
    "Accounts locked after the update.",
    "Branch staff briefed before the post.",
    "Journalist asks for a statement by noon.",
    "Fake giveaway in the bank's name spreading.",
    "Card payments restored, monitoring continues.",
    "Mitarbeiterinnen im Intranet informiert.",
    "Aufsicht fragt nach dem Zwischenstand.",
    "Beschwerden über lange Überweisungsdauer.",
    "Sperrhotline 116 116 genannt.",
    "Fusion mit der Nachbarbank angekündigt.",
]
SEARCH_QUERY = "Geldautomat Presseanfrage"
PLAYBOOKS = [
    "it-provider-outage-de",
    "phishing-wave-de",
    "fee-dispute-de",
    "branch-closure-de",
    "double-charging-de",
    "ddos-online-banking-de",
    "fake-support-accounts-en",
    "atm-blasting-de",
]
KINDS = [
    "note_added",
    "checklist_done",
    "escalation_notified",
    "escalation_acknowledged",
    "response_drafted",
    "response_submitted",
    "response_approved",
    "response_published",
    "source_link_added",
    "role_assigned",
]


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.start = label, max(total, 1), 0, time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        share = self.done / self.total
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r  {self.label:<10} [{bar:<30}] {self.done:>9,}/{self.total:,} "
            f"{time.monotonic() - self.start:5.1f}s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _flush(table, rows: list) -> None:
    if rows:
        db.session.execute(insert(table), rows)
        rows.clear()


def generate(database_url: str, incidents: int, events: int, big: int, seed: int = 7) -> dict:
    """Create schema, users, tokens and history.

    Return what the benchmark needs (ids, tokens, nonces).
    """
    rng = random.Random(seed)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-secret",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "DEPLOYMENT": "development",
        }
    )
    with app.app_context():
        upgrade()
        users = {
            name: accounts.create_user(name, password=f"{name}-bench-pass", roles=[role], email="")
            for name, role in (
                ("oncall", "oncall"),
                ("legal", "legal"),
                ("management", "management"),
            )
        }
        for user in users.values():
            db.session.refresh(user)
        token = tokens.create_token(users["oncall"], "bench")[1]
        manager_token = tokens.create_token(users["management"], "bench")[1]
        library.sync_versions()
        versions = {v.slug: v.id for v in db.session.scalars(select(ContentVersion))}
        info = _history(rng, incidents, events, big, users, versions)
        started = time.perf_counter()
        info["search_entries"] = rebuild(db.session.connection())
        print(
            f"search index: {info['search_entries']:,} texts in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        # a server session per user, as signing in opens one;
        # run.py puts "<id>:<secret>" in the cookie
        nonces = {
            name: sessions.start_session(user, address="127.0.0.1", user_agent="wrk")[1]
            for name, user in users.items()
        }
        ids = {name: user.id for name, user in users.items()}
        db.session.commit()
        _advance_sequences()
    return {
        **info,
        "token": token,
        "manager_token": manager_token,
        "nonces": nonces,
        "user_ids": ids,
    }


def _advance_sequences() -> None:
    """Move PostgreSQL's id sequences past the ids the bulk load set explicitly.

    The app's own inserts need them there.
    """
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false) '
                    f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"
                )
            )
    db.session.commit()


def _history(rng, incidents: int, events: int, big: int, users, versions) -> dict:
    oncall, legal = users["oncall"].id, users["legal"].id
    start = datetime(2021, 12, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 28, tzinfo=UTC) - start).total_seconds()
    rate = max(
        1.0, (events - big) / max(incidents - 1, 1)
    )  # fractional, so the total comes out exact
    progress = Progress("incidents", incidents)
    event_progress = Progress("events", events)
    rows = {
        table: []
        for table in (
            "incident",
            "step",
            "check",
            "role",
            "event",
            "response",
            "revision",
            "review",
        )
    }
    head = db.session.get(ChainHead, 1)
    seq, prev, counters = head.seq, head.hash, {}
    for number in range(1, incidents + 1):
        opened = start + timedelta(seconds=span * number / incidents)
        severity = rng.choice((1, 2, 2, 3, 3, 3, 4))
        year = opened.year
        counters[year] = counters.get(year, 0) + 1
        live = number > incidents - 20
        rows["incident"].append(
            {
                "id": number,
                "ref": f"CD-{year}-{counters[year]:04d}",
                "title": f"Störung {number}: {rng.choice(KINDS)}",
                "summary": " ".join(rng.sample(PHRASES, 4)),
                "severity": severity,
                "status": "open" if live else "closed",
                "status_rank": 0 if live else 3,
                "playbook_slug": PLAYBOOKS[number % len(PLAYBOOKS)],
                "playbook_version_id": versions[PLAYBOOKS[number % len(PLAYBOOKS)]],
                "channels": '["facebook", "x"]',
                "opened_at": opened,
                "opened_by_id": oncall,
                "detected_at": opened,
                "lead_id": oncall,
                "closed_at": None if live else opened + timedelta(hours=5),
            }
        )
        rows["role"].append(
            {
                "incident_id": number,
                "role": "lead",
                "user_id": oncall,
                "assigned_by_id": oncall,
                "assumed_at": opened,
            }
        )
        for minutes, role in ((0, "oncall"), (15, "management"), (30, "legal")):
            rows["step"].append(
                {
                    "incident_id": number,
                    "key": f"{role}:0",
                    "severity": severity,
                    "after_minutes": minutes,
                    "due_at": opened + timedelta(minutes=minutes),
                    "target_role": role,
                    "action": "Lage bewerten und informieren",
                    "status": "pending" if live else "acknowledged",
                }
            )
        for position in range(4):
            rows["check"].append(
                {
                    "incident_id": number,
                    "item_key": f"item-{position}",
                    "position": position,
                    "text": "Marketing-Posts pausieren und Filialen informieren",
                    "done": not live,
                }
            )
        if not live:
            _response(rows, number, opened, rng, oncall, legal)
        count = big if number == incidents else int(number * rate) - int((number - 1) * rate)
        for index in range(count):
            seq += 1
            at = opened + timedelta(seconds=30 * (index + 1))
            # after the opening a note comes first, so every incident has one (as real ones do)
            kind = "incident_opened" if index == 0 else KINDS[(index - 1) % len(KINDS)]
            data = canonical_json(
                {"severity": severity} if index == 0 else {"text": " ".join(rng.sample(PHRASES, 3))}
            )
            digest = event_hash(prev, seq, at, kind, number, "oncall", data)
            rows["event"].append(
                {
                    "seq": seq,
                    "at": at,
                    "kind": kind,
                    "incident_id": number,
                    "actor_id": oncall,
                    "actor_name": "oncall",
                    "data": data,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
            if len(rows["event"]) >= BATCH:
                event_progress.add(len(rows["event"]))
                _flush(TimelineEvent.__table__, rows["event"])
        if number % BATCH == 0 or number == incidents:
            progress.add(BATCH if number % BATCH == 0 else number % BATCH)
            for key, table in (
                ("incident", Incident),
                ("step", EscalationStep),
                ("check", IncidentChecklistItem),
                ("role", RoleAssignment),
                ("response", Response),
                ("revision", ResponseRevision),
                ("review", Review),
            ):
                _flush(table.__table__, rows[key])
    event_progress.add(len(rows["event"]))
    _flush(TimelineEvent.__table__, rows["event"])
    db.session.execute(update(ChainHead).where(ChainHead.id == 1).values(seq=seq, hash=prev))
    # every bulk event has an incident: it moved the incidents head, as append_event() would
    db.session.merge(StateHead(name="incidents", seq=seq))
    db.session.execute(
        insert(RefCounter.__table__), [{"year": y, "last": n} for y, n in counters.items()]
    )
    return {"big_incident": incidents, "events": seq, "incidents": incidents}


def _response(rows, number: int, opened: datetime, rng, oncall: int, legal: int) -> None:
    body = "Wir wissen von der Störung und arbeiten an einer Lösung. Nächstes Update um 14:30 Uhr."
    submitted = opened + timedelta(minutes=rng.randint(3, 20))
    reviewed = submitted + timedelta(minutes=rng.randint(2, 40))
    published = reviewed + timedelta(minutes=rng.randint(1, 10))
    rows["response"].append(
        {
            "id": number,
            "incident_id": number,
            "channel": "facebook",
            "language": "de",
            "status": "published",
            "author_id": oncall,
            "created_at": opened,
            "revision": 1,
            "submitted_at": submitted,
            "approved_revision": 1,
            "published_at": published,
            "published_by_id": oncall,
        }
    )
    rows["revision"].append(
        {
            "response_id": number,
            "number": 1,
            "body": body,
            "hash": hashlib.sha256(body.encode()).hexdigest(),
            "values": json.dumps({}),
            "author_id": oncall,
            "created_at": opened,
        }
    )
    rows["review"].append(
        {
            "response_id": number,
            "revision": 1,
            "decision": "approved",
            "comment": "",
            "reviewer_id": legal,
            "at": reviewed,
            "submitted_at": submitted,
        }
    )
