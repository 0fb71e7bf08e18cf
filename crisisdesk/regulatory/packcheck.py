"""Check an evidence pack against the chain: every event it carries recomputes to its hash and is
the chain's own, and the texts it quotes are the ones those events recorded."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from sqlalchemy import select

from ..extensions import db
from ..timeline.chain import hashed_body
from ..timeline.models import TimelineEvent


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_pack(raw: bytes) -> tuple[int, list[str]]:
    """(events checked, problems) for the bytes of an evidence pack; no problems: it holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            pack = json.loads(archive.read("evidence.json"))
        events = pack["events"]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        return 0, [f"not an evidence pack: {exc}"]
    problems: list[str] = []
    stored = {
        e.seq: e.hash
        for e in db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.seq.in_([e.get("seq") for e in events]))
        )
    }
    recorded: dict[int, dict] = {}
    for event in events:
        seq = event.get("seq")
        try:
            body = hashed_body(
                seq,
                event["at"],
                event["kind"],
                event["incident_id"],
                event["actor_name"],
                event["data"],
            )
            data = json.loads(event["data"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"event {seq}: fields missing or malformed")
            continue
        if _sha256(event["prev_hash"] + body) != event["hash"]:
            problems.append(f"event {seq}: its fields do not give its hash")
        elif stored.get(seq) != event["hash"]:
            problems.append(f"event {seq}: not the chain's event {seq}")
        if event["kind"] == "regulatory_submission_recorded":
            recorded[data.get("submission")] = data
    for submission in pack.get("submissions", []):
        data = recorded.get(submission.get("id"))
        if data is None or data.get("text") != submission.get("text"):
            problems.append(f"submission {submission.get('id')}: text not as its event recorded")
        elif _sha256(submission["text"]) != submission.get("text_sha256"):
            problems.append(f"submission {submission.get('id')}: text_sha256 does not match")
    for statement in pack.get("published_statements", []):
        if _sha256(statement.get("body", "")) != statement.get("body_sha256"):
            problems.append(f"statement {statement.get('response')}: body_sha256 does not match")
    return len(events), problems
