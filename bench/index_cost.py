"""What keeping the search index in step costs a write.

The same writes (open an incident, add a note to the big incident) with the index hook on and
off, in alternating rounds so the machine's drift falls on both alike; the median of each.
"""

from __future__ import annotations

import statistics
import time

ROUNDS = 10
PER_ROUND = 20


def index_cost(url: str, rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict:
    """Median ms per write with and without the search index, and the difference in %."""
    from sqlalchemy import select

    from crisisdesk import create_app
    from crisisdesk.accounts.models import User
    from crisisdesk.extensions import db
    from crisisdesk.incidents import entries
    from crisisdesk.incidents import service as incidents_service
    from crisisdesk.incidents.models import Incident
    from crisisdesk.search import indexer

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret"})
    timed: dict[str, dict[bool, list[float]]] = {
        "open_incident": {True: [], False: []},
        "note": {True: [], False: []},
    }
    with app.app_context(), app.test_request_context():
        oncall = db.session.scalar(select(User).where(User.username == "oncall"))
        big = db.session.scalar(select(Incident.id).order_by(Incident.id.desc()).limit(1))
        writes = {
            "open_incident": lambda n: incidents_service.open_incident(
                actor=oncall,
                title=f"Kartenzahlung im Handel gestört ({n})",
                summary="Kundinnen melden abgelehnte Zahlungen an der Kasse.",
                severity=3,
                playbook="phishing-wave-de",
            ),
            "note": lambda n: entries.add_note(
                big,
                f"Zwischenstand {n}: Hotline überlastet, Statusseite aktualisiert.",
                actor=oncall,
            ),
        }
        try:
            for number in range(rounds):
                for indexed in (True, False) if number % 2 == 0 else (False, True):
                    (indexer.listen if indexed else indexer.unlisten)()
                    for name, write in writes.items():
                        for each in range(per_round):
                            started = time.perf_counter()
                            write(number * per_round + each)
                            timed[name][indexed].append((time.perf_counter() - started) * 1000)
        finally:
            indexer.listen()
    report = {}
    for name, runs in timed.items():
        on, off = statistics.median(runs[True]), statistics.median(runs[False])
        report[name] = {
            "indexed_ms": round(on, 2),
            "unindexed_ms": round(off, 2),
            "cost_percent": round((on / off - 1) * 100, 1),
            "writes": len(runs[True]) + len(runs[False]),
        }
    return report
