"""Exports: the post-mortem as Markdown, and all
events with hashes as JSON for an outside re-check.
"""

from __future__ import annotations

import json

from ..impersonation.cases import takedown_seconds
from ..timeline.chain import format_at


def _md_escape(text: str) -> str:
    """Keep user text literal in Markdown (no links, no HTML)."""
    out = (text or "").replace("\\", "\\\\")
    for char in "`*_{}[]()#+!<>|":
        out = out.replace(char, "\\" + char)
    return out


def postmortem_markdown(incident, postmortem, actions, metrics: dict, said, fakes=()) -> str:
    """A stable Markdown document (same input, same bytes)."""
    lines = [
        f"# {'DRILL · ' if incident.drill else ''}Post-mortem {incident.ref}: "
        f"{_md_escape(incident.title)}",
        "",
        *(["**DRILL: an exercise, not a real incident.**", ""] if incident.drill else []),
        f"- Severity: {incident.severity}",
        f"- Status: {incident.status}",
        f"- Playbook: {incident.playbook_slug} ({incident.playbook_version.sha256})",
        f"- Opened: {format_at(incident.opened_at)} by {incident.opened_by.username}",
        "",
    ]
    for title, field in (
        ("Summary", "summary"),
        ("What went well", "went_well"),
        ("What went badly", "went_badly"),
        ("Lessons", "lessons"),
    ):
        lines += [f"## {title}", "", _md_escape(getattr(postmortem, field, "") or "") or "—", ""]
    lines += ["## Action items", ""]
    lines += [
        f"- [{'x' if a.status == 'done' else ' '}] {_md_escape(a.text)} — "
        f"{_md_escape(a.owner) or '—'}, due {a.due_date.isoformat() if a.due_date else '—'}"
        for a in actions
    ] or ["—"]
    lines += ["", "## Metrics", ""]
    for key in sorted(metrics):
        value = metrics[key]
        value = (
            json.dumps(value, sort_keys=True)
            if isinstance(value, dict)
            else ("—" if value is None else value)
        )
        lines.append(f"- {key}: {value}")
    if fakes:
        lines += ["", "## Fakes and takedowns", ""]
        for fake in fakes:
            seconds = takedown_seconds(fake)
            case = f" ({_md_escape(fake.platform_reference)})" if fake.platform_reference else ""
            taken = f", taken down after {int(seconds)} s" if seconds is not None else ""
            lines.append(
                f"- {fake.platform} {fake.kind}: {_md_escape(fake.address)} — {fake.status}"
                f"{case}{taken}"
            )
    lines += ["", "## What we said", ""]
    for response in said:
        lines += [
            f"### {format_at(response.published_at)} · {response.channel}",
            "",
            *[f"> {_md_escape(line)}" for line in response.current.body.splitlines()],
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def events_json(incident, events) -> str:
    """Every event of the incident with prev_hash and hash, canonical and stable.

    The global chain runs across incidents, so an auditor verifies an incident's events by
    recomputing each hash from its own fields and prev_hash (sha256(prev_hash + canonical
    JSON of {seq, at, kind, incident_id, actor, data})) and checks the full chain with
    GET /api/v1/audit/verify.
    """
    return (
        json.dumps(
            {
                "incident": {"id": incident.id, "ref": incident.ref, "drill": incident.drill},
                "events": [
                    {
                        "seq": e.seq,
                        "at": format_at(e.at),
                        "kind": e.kind,
                        "incident_id": e.incident_id,
                        "actor": e.actor_name,
                        "data": e.data,
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                    }
                    for e in events
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
            indent=1,
        )
        + "\n"
    )
