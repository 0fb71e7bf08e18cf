"""What a storm writes, one figure each through the API: notes, ticks, acknowledgements,
repeated alerts and new incidents, all but the last on the big incident.

A tick or an acknowledgement changes a row once: the plan gives each wrk thread its own rows (a
file of requests, bench/wrk_report.lua), ticks alternate done and undone, and each request
acknowledges a step of its own, from a supply made just before the figure (what is left of it
goes afterwards: the incident's API answer lists every step). Repeated alerts carry one dedupe
key and a new post's address each time: the first opens an incident, each later one adds a
source link to it, as a listening tool's alerts do in a storm.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path

WRITES = ["note", "tick", "ack", "alert_repeat", "open_incident"]
SUPPLY_KEY = "oncall:bench-"
#: checklist rows the big incident gets: each of wrk's threads toggles its own half, and its
#: four connections never have two requests for one row in flight
TICK_ROWS = 16
DEDUPE_KEY = "bench-storm"
#: acknowledgements a figure may need per second of wrk, at most (a supply that does not run out;
#: a request past it is a 409, counted as an error)
MOST_PER_SECOND = 600


def write_targets(url: str, info: dict, seconds: int) -> dict:
    """Each write figure's (path, wrk environment), preparing the rows it needs first."""
    token = {"BENCH_AUTH": f"Bearer {info['token']}", "BENCH_METHOD": "POST"}
    big = info["big_incident"]
    supply = max(2000, seconds * MOST_PER_SECOND)
    return {
        "note": lambda: (
            f"/api/v1/incidents/{big}/notes",
            {**token, "BENCH_BODY": json.dumps({"text": "Zwischenstand: Hotline überlastet."})},
        ),
        "tick": lambda: _plan(
            token,
            [f"/api/v1/incidents/{big}/checklist/{key}" for key in _checklist(url, big)],
            bodies=['{"done": true}', '{"done": false}'],
        ),
        "ack": lambda: _plan(
            token,
            [
                f"/api/v1/incidents/{big}/escalations/{step}/ack"
                for step in _open_steps(url, big, supply)
            ],
        ),
        "alert_repeat": lambda: _plan(token, _alerts(supply)),
        "open_incident": lambda: (
            "/api/v1/incidents",
            {
                **token,
                "BENCH_BODY": json.dumps(
                    {"title": "Last test", "severity": 3, "playbook": "phishing-wave-de"}
                ),
            },
        ),
    }


def _plan(token: dict, lines: list[str], bodies: list[str] | None = None) -> tuple[str, dict]:
    folder = Path(tempfile.mkdtemp(prefix="crisisdesk-bench-plan-"))
    (folder / "plan.txt").write_text("\n".join(lines) + "\n")
    extra = {**token, "BENCH_PLAN": str(folder / "plan.txt"), "BENCH_THREADS": "2"}
    if bodies:
        extra["BENCH_BODIES"] = "\n".join(bodies)
    return lines[0].split("\t")[0], extra


def _engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url)


def _checklist(url: str, big: int) -> list[str]:
    """TICK_ROWS items on the big incident, none done (so the first pass ticks each)."""
    from sqlalchemy import delete, insert, select

    from crisisdesk.incidents.models import IncidentChecklistItem as Item

    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(delete(Item).where(Item.incident_id == big))
        conn.execute(
            insert(Item),
            [
                {
                    "incident_id": big,
                    "item_key": f"item-{position}",
                    "position": position,
                    "text": "Marketing-Posts pausieren und Filialen informieren",
                    "done": False,
                }
                for position in range(TICK_ROWS)
            ],
        )
        keys = list(conn.scalars(select(Item.item_key).where(Item.incident_id == big)))
    engine.dispose()
    return keys


def _open_steps(url: str, big: int, count: int) -> list[int]:
    """`count` new steps for the on-call role on the big incident, none acknowledged yet."""
    from sqlalchemy import func, insert, select

    from crisisdesk import clock
    from crisisdesk.incidents.models import EscalationStep as Step

    engine = _engine(url)
    due = clock.now() + timedelta(days=1)  # not due while the figure runs: no worker is told
    with engine.begin() as conn:
        first = (conn.scalar(select(func.max(Step.id))) or 0) + 1
        conn.execute(
            insert(Step),
            [
                {
                    "incident_id": big,
                    "key": f"{SUPPLY_KEY}{number}",
                    "severity": 1,
                    "after_minutes": 60,
                    "due_at": due,
                    "target_role": "oncall",
                    "action": "Lage bewerten und informieren",
                    "status": "pending",
                    "stage": 0,
                }
                for number in range(count)
            ],
        )
        steps = list(conn.scalars(select(Step.id).where(Step.id >= first).order_by(Step.id)))
    engine.dispose()
    return steps


def tidy(url: str, big: int) -> None:
    """Remove what is left of a supply of steps (never told, never acknowledged: no event)."""
    from sqlalchemy import delete

    from crisisdesk.incidents.models import EscalationStep as Step

    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(
            delete(Step).where(
                Step.incident_id == big,
                Step.key.startswith(SUPPLY_KEY),
                Step.status == "pending",
            )
        )
    engine.dispose()


def _alerts(count: int) -> list[str]:
    """`count` alerts with one dedupe key, each with a new post's address."""
    made = time.monotonic_ns()  # each plan's posts are new: a known address adds nothing
    return [
        "/api/v1/alerts\t"
        + json.dumps(
            {
                "dedupe_key": DEDUPE_KEY,
                "title": "Beschwerdewelle: Kartenzahlung gestört",
                "playbook": "phishing-wave-de",
                "source_url": f"https://social.example/posts/{made}-{number}",
            }
        )
        for number in range(count)
    ]
