"""What the recorded tables must hold, told by
replaying their events in order (no database here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

INCIDENT_KINDS = (
    "incident_opened",
    "title_changed",
    "summary_changed",
    "severity_changed",
    "status_changed",
)
#: the status each response event leaves behind (drafted: the one it names)
RESPONSE_STATUS = {
    "response_revised": "draft",
    "response_submitted": "pending_legal",
    "response_approved": "approved",
    "response_rejected": "rejected",
    "response_published": "published",
    "response_approval_lapsed": "draft",
}
#: events after which no approval holds any more
APPROVAL_ENDS = ("response_revised", "response_rejected", "response_approval_lapsed")

#: field → (the value the events gave it, seq of the event that did)
State = dict[str, tuple[object, int]]


@dataclass
class Ev:
    """One event as replay needs it."""

    seq: int
    kind: str
    incident_id: int | None
    actor: str
    data: dict


def decode(seq: int, kind: str, incident_id: int | None, actor: str, data: str) -> Ev:
    """An event row made an Ev (data that is not a JSON
    object replays as empty: the chain check names it).
    """
    try:
        decoded = json.loads(data)
    except ValueError:
        decoded = None
    return Ev(seq, kind, incident_id, actor, decoded if isinstance(decoded, dict) else {})


def moment(value) -> datetime | object:
    """An ISO time from event data, or the value itself when it is none."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def incident_state(events: list[Ev]) -> State:
    """Title, summary, severity, status and ref as the
    incident's events left them (absent: not recorded).
    """
    state: State = {}
    for event in events:
        if event.kind == "incident_opened":
            state["status"] = ("open", event.seq)
            for name in ("ref", "title", "summary", "severity"):
                if name in event.data:  # early events did not carry every field
                    state[name] = (event.data[name], event.seq)
        else:
            state[event.kind.removesuffix("_changed")] = (event.data.get("after"), event.seq)
    return state


@dataclass
class ResponseStory:
    """One response as its events tell it."""

    first_seq: int
    state: State = field(default_factory=dict)
    #: revision number → (hash, author, seq)
    revisions: dict[int, tuple[object, str, int]] = field(default_factory=dict)
    #: in order: ({revision, decision, comment, reviewer}, seq)
    reviews: list[tuple[dict, int]] = field(default_factory=list)


def response_story(events: list[Ev]) -> ResponseStory:
    """Replay one response's events."""
    story = ResponseStory(events[0].seq)
    state = story.state
    for event in events:
        data, seq = event.data, event.seq
        if event.kind == "response_drafted":
            status = data.get("status")
            state.update(
                incident_id=(event.incident_id, seq),
                channel=(data.get("channel"), seq),
                status=(status, seq),
                revision=(1, seq),
                approved_revision=(1 if status == "preapproved" else None, seq),
                published_at=(None, seq),
                published_url=(None, seq),
                published_by=(None, seq),
                retract_reason=(None, seq),
            )
            story.revisions[1] = (data.get("revision_hash"), event.actor, seq)
        if event.kind in RESPONSE_STATUS:
            state["status"] = (RESPONSE_STATUS[event.kind], seq)
        if event.kind in APPROVAL_ENDS:
            state["approved_revision"] = (None, seq)
        if event.kind == "response_revised":
            number = data.get("revision") if isinstance(data.get("revision"), int) else None
            state["revision"] = (number, seq)
            story.revisions[number] = (data.get("revision_hash"), event.actor, seq)
        elif event.kind in ("response_approved", "response_rejected"):
            if event.kind == "response_approved":
                state["approved_revision"] = (data.get("revision"), seq)
            story.reviews.append(
                (
                    {
                        "revision": data.get("revision"),
                        "decision": event.kind.removeprefix("response_"),
                        "comment": data.get("comment") or "",
                        "reviewer": event.actor,
                    },
                    seq,
                )
            )
        elif event.kind == "response_published":
            state.update(
                published_url=(data.get("url"), seq),
                published_at=(moment(data.get("published_at")), seq),
                published_by=(event.actor, seq),
            )
        elif event.kind == "response_retracted":
            state["retract_reason"] = (data.get("reason"), seq)
    return story


def differences(state: State, actual: dict) -> list[tuple[str, int]]:
    """(field, seq of the event that set it) for every field whose stored value differs."""
    return [(name, seq) for name, (value, seq) in state.items() if actual.get(name) != value]
