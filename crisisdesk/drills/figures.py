"""An exercise's figures, computed from the drill incident's events alone (no other table), so
anyone holding the exported events can recompute them and check the report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from ..channels import INTERNAL_AUDIENCES
from ..library.content import DrillScript

#: before responses named their audience, a text for staff was the one on the intranet
STAFF_CHANNELS = ("intranet",)


def _for_staff(data: dict) -> bool:
    """True for a publication to our own people (staff, branches, service centre)."""
    if "audience" in data:
        return data["audience"] in INTERNAL_AUDIENCES
    return data.get("channel") in STAFF_CHANNELS


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective: its target, the measured time and whether it was met."""

    id: str
    text: str
    measure: str
    target_minutes: int
    seconds: float | None  #: None: it never happened during the drill
    met: bool


@dataclass(frozen=True)
class ReactionResult:
    """One released inject that expected a reaction, and how fast it came."""

    key: str
    kind: str
    expects: str
    within_minutes: int
    released_at: str
    seconds: float | None
    met: bool


def _first(events: list[dict], after: datetime, test) -> dict | None:
    return next((e for e in events if e["at"] >= after and test(e)), None)


def _seconds(event: dict | None, since: datetime) -> float | None:
    return None if event is None else (event["at"] - since).total_seconds()


def legal_reviews(events: list[dict]) -> list[float]:
    """Seconds from each sending to legal to legal's decision on it."""
    sent: dict = {}
    result = []
    for event in events:
        response = event["data"].get("response")
        if event["kind"] == "response_submitted":
            sent[response] = event["at"]
        elif event["kind"] in ("response_approved", "response_rejected") and response in sent:
            result.append((event["at"] - sent.pop(response)).total_seconds())
    return result


MEASURES = {
    "first_acknowledgement": lambda e: e["kind"] == "escalation_acknowledged",
    "first_draft": lambda e: e["kind"] == "response_drafted",
    # the first text for the public or the press; a staff briefing before it is its own measure
    "first_publication": lambda e: e["kind"] == "response_published" and not _for_staff(e["data"]),
    "staff_informed": lambda e: e["kind"] == "response_published" and _for_staff(e["data"]),
}


def objective_results(script: DrillScript, started_at: datetime, events: list) -> list:
    """Each objective's measured time from the drill's start, against its target."""
    results = []
    for objective in script.objectives:
        if objective.measure == "legal_review":
            reviews = legal_reviews(events)
            seconds = max(reviews) if reviews else None
        else:
            seconds = _seconds(_first(events, started_at, MEASURES[objective.measure]), started_at)
        results.append(
            ObjectiveResult(
                objective.id,
                objective.text,
                objective.measure,
                objective.target_minutes,
                seconds,
                seconds is not None and seconds <= objective.target_minutes * 60,
            )
        )
    return results


REACTIONS = {
    "reply": lambda e, inject: (
        e["kind"] == "response_published" and e["data"].get("channel") == inject.get("platform")
    ),
    "publish": lambda e, _inject: e["kind"] == "response_published",
    "note": lambda e, _inject: e["kind"] == "note_added",
    "acknowledge": lambda e, _inject: e["kind"] == "escalation_acknowledged",
}


def reaction_results(events: list[dict]) -> list[ReactionResult]:
    """For each released inject that expects a reaction: the first such reaction after it."""
    results = []
    for event in events:
        data = event["data"]
        if event["kind"] != "drill_inject" or not data.get("expects") or data.get("part", 1) > 1:
            continue
        reaction = _first(
            events,
            event["at"],
            lambda e, data=data, seq=event["seq"]: (
                e["seq"] > seq and REACTIONS[data["expects"]](e, data)
            ),
        )
        seconds = _seconds(reaction, event["at"])
        results.append(
            ReactionResult(
                data["key"],
                data["kind"],
                data["expects"],
                data["within_minutes"],
                event["at"].isoformat(),
                seconds,
                seconds is not None and seconds <= data["within_minutes"] * 60,
            )
        )
    return results


def figures(script: DrillScript, started_at: datetime, events: list[dict]) -> dict:
    """Every figure of the report, as plain values (the JSON export carries the same)."""
    reviews = legal_reviews(events)
    return {
        "objectives": [asdict(r) for r in objective_results(script, started_at, events)],
        "reactions": [asdict(r) for r in reaction_results(events)],
        "legal_reviews_s": reviews,
        "legal_review_max_s": max(reviews) if reviews else None,
    }
