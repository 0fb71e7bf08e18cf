"""The evidence pack for a supervisor: what the desk decided, reported and said about an incident,
with the timeline events it rests on, so anyone can recompute their hashes.

evidence.json is for machines (UTC, raw event data), evidence.md for people (reader's language).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from .. import clock
from ..extensions import db
from ..i18n import clock_status_label, decision_label, report_label, status_label
from ..responses.queries import said_so_far
from ..timeline.chain import format_at
from ..timeline.models import TimelineEvent
from .criteria import LABELS
from .report import iso
from .service import View, assessment_of
from .submissions import clocks_of, submissions_of

#: the kinds the pack relies on besides every regulatory_* event
EVENT_KINDS = ("incident_opened", "source_link_added", "response_published")
VERIFY = (
    "hash = sha256(prev_hash + canonical JSON of {actor: actor_name, at, data, incident_id, kind, "
    "seq}), keys sorted, no spaces, UTF-8; data is the stored string as given here. The events "
    "are part of the desk's one chain: `flask audit verify-pack <zip>` checks them against it."
)


def sha256(text: str) -> str:
    """SHA-256 of a text as UTF-8, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_pack(incident_id, *, actor) -> tuple[str, bytes]:
    """The file name and zip bytes of the evidence pack, for anyone who may read the incident."""
    view = assessment_of(incident_id, actor=actor)
    pack = evidence_of(view, actor=actor)
    generated = clock.now().astimezone(UTC)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("evidence.json", json.dumps(pack, ensure_ascii=False, indent=1, sort_keys=True)),
            ("evidence.md", evidence_markdown(pack)),
        ):
            # the entry's time is the pack's, not the server's local time
            info = zipfile.ZipInfo(name, date_time=generated.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text + "\n")
    return f"evidence-{view.incident.ref}.zip", buffer.getvalue()


def evidence_of(view: View, *, actor) -> dict:
    """The pack's content as one JSON-ready dict."""
    incident = view.incident
    events = _events(incident.id)
    return {
        "generated_at": iso(clock.now()),
        "generated_by": actor.username,
        "incident": {
            "id": incident.id,
            "ref": incident.ref,
            "title": incident.title,
            "detected_at": iso(incident.detected_at),
            "opened_at": iso(incident.opened_at),
            "status": incident.status,
            "drill": incident.drill,
        },
        "assessment": _assessment(view),
        "assessment_history": [
            {"seq": e.seq, "at": iso(e.at), "actor": e.actor_name, **json.loads(e.data)}
            for e in events
            if e.kind == "regulatory_assessed"
        ],
        "clocks": [
            {"kind": c.kind, "due_at": iso(c.due_at), "met_at": iso(c.met_at), "status": c.status}
            for c in clocks_of(incident.id, actor=actor)
        ],
        "submissions": [
            {
                "id": s.id,
                "kind": s.kind,
                "submitted_at": iso(s.submitted_at),
                "reference": s.reference,
                "text": s.text,
                "text_sha256": sha256(s.text),
                "late_reason": s.late_reason,
                "recorded_by": s.recorded_by.username,
                "recorded_at": iso(s.recorded_at),
            }
            for s in submissions_of(incident.id)
        ],
        "media_evidence": [
            {"url": link.url, "added_at": iso(link.added_at)} for link in incident.links
        ],
        "published_statements": [
            {
                "response": r.id,
                "channel": r.channel,
                "published_at": iso(r.published_at),
                "url": r.published_url,
                "revision": r.revision,
                "body": r.current.body,
                "body_sha256": sha256(r.current.body),
                "retracted_at": iso(r.retracted_at),
            }
            for r in said_so_far(incident.id)
        ],
        "events": [
            {
                "seq": e.seq,
                "at": format_at(e.at),
                "kind": e.kind,
                "incident_id": e.incident_id,
                "actor_name": e.actor_name,
                "data": e.data,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ],
        "verification": VERIFY,
    }


def _events(incident_id: int) -> list[TimelineEvent]:
    return list(
        db.session.scalars(
            select(TimelineEvent)
            .where(
                TimelineEvent.incident_id == incident_id,
                or_(
                    TimelineEvent.kind.startswith("regulatory_", autoescape=True),
                    TimelineEvent.kind.in_(EVENT_KINDS),
                ),
            )
            .order_by(TimelineEvent.seq)
        )
    )


def _assessment(view: View) -> dict:
    return {
        "criteria": view.criteria,
        "decision": view.decision,
        "reasons": view.reasons,
        "rule": view.rule,
        "decided_by": view.decided_by.username if view.decided_by else None,
        "decided_at": iso(view.decided_at),
        "personal_data_breach": view.personal_data_breach,
        "aware_at": iso(view.aware_at),
        "aware_reason": view.aware_reason,
        "major_since": iso(view.major_since),
        "reclassified_at": iso(view.reclassified_at),
    }


def _md(text) -> str:
    """Keep user text literal in Markdown (no links, no HTML, no headings)."""
    out = str(text or "").replace("\\", "\\\\")
    for char in "`*_{}[]()#+!<>|":
        out = out.replace(char, "\\" + char)
    return " ".join(out.split()) or "—"


def _when(value: str | None) -> str:
    # UTC stated plainly: a supervisor may read the pack in another zone than the bank's
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def evidence_markdown(pack: dict) -> str:
    """The pack as a readable Markdown summary in the reader's language."""
    incident, assessment = pack["incident"], pack["assessment"]
    breach = _("yes") if assessment["personal_data_breach"] else _("no")
    # the words are looked up outside the f-strings, where the message extractor finds them
    drill, exercise = _("DRILL"), _("An exercise, not a real incident.")
    mark = f"{drill} · " if incident.get("drill") else ""
    lines = [
        f"# {mark}{_('Evidence pack')} {incident['ref']}: {_md(incident['title'])}",
        "",
        *([f"**{drill}: {exercise}**", ""] if mark else []),
        f"- {_('Detected')}: {_when(incident['detected_at'])}",
        f"- {_('Opened')}: {_when(incident['opened_at'])}",
        f"- {_('Status')}: {status_label(incident['status'])}",
        f"- {_('Generated')}: {_when(pack['generated_at'])} ({_md(pack['generated_by'])})",
        "",
        f"## {_('Assessment')}",
        "",
        f"- {_('Decision')}: {decision_label(assessment['decision'])}",
        f"- {_('Reasons')}: {_md(assessment['reasons'])}",
        f"- {_('Rule')}: {assessment['rule'] or '—'}",
        f"- {_('Aware since')}: {_when(assessment['aware_at'])}",
        f"- {_('Classified major')}: {_when(assessment['major_since'])}",
        f"- {_('Reclassified as not major')}: {_when(assessment['reclassified_at'])}",
        f"- {_('Personal-data breach')}: {breach}",
        "",
    ]
    lines += [
        f"- {LABELS[name]}: {_md(value['value'])} ({_md(value['evidence'])})"
        for name, value in assessment["criteria"].items()
        if value["met"]
    ]
    lines += ["", f"## {_('Assessment history')}", ""]
    lines += [
        f"- {_when(item['at'])} · {_md(item['actor'])}: {decision_label(item['decision'])}"
        f" — {_md(item['reasons'])}"
        for item in pack["assessment_history"]
    ] or ["—"]
    lines += ["", f"## {_('Clocks')}", ""]
    lines += [
        "- "
        + _(
            "%(report)s: due %(due)s, %(status)s",
            report=report_label(c["kind"]),
            due=_when(c["due_at"]),
            status=clock_status_label(c["status"]),
        )
        + (f" ({_when(c['met_at'])})" if c["met_at"] else "")
        for c in pack["clocks"]
    ] or ["—"]
    lines += ["", f"## {_('Reports made to authorities')}", ""]
    for s in pack["submissions"]:
        lines += [
            "- "
            + _(
                "%(report)s: made %(at)s, reference %(ref)s",
                report=report_label(s["kind"]),
                at=_when(s["submitted_at"]),
                ref=_md(s["reference"]),
            )
            + f", SHA-256 {s['text_sha256']}",
        ]
        if s["late_reason"]:
            lines.append(f"  - {_('Reasons for the delay')}: {_md(s['late_reason'])}")
    if not pack["submissions"]:
        lines.append("—")
    lines += ["", f"## {_('Media evidence')}", ""]
    lines += [
        f"- {_when(link['added_at'])}: `{link['url'].replace('`', '%60')}`"
        for link in pack["media_evidence"]
    ] or ["—"]
    lines += ["", f"## {_('Published statements')}", ""]
    lines += [
        f"- {_when(r['published_at'])} · {r['channel']}: SHA-256 {r['body_sha256']}"
        for r in pack["published_statements"]
    ] or ["—"]
    lines += [
        "",
        f"## {_('Timeline events')}",
        "",
        _(
            "Each event's hash can be recomputed from evidence.json; the chain is checked with "
            "“flask audit verify”."
        ),
        "",
    ]
    lines += [f"- {e['seq']} · {e['at']} · {e['kind']} · {e['hash']}" for e in pack["events"]]
    return "\n".join(lines).rstrip()
