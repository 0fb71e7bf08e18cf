"""Drafts of the DORA major-incident reports (Implementing Regulation (EU) 2025/302, Annex I):
the fields the desk can fill from what it holds, and the names of those a person must fill.

A draft only: compliance copies it into the authority's reporting portal; the desk never submits.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import Invalid
from ..extensions import db
from ..responses.queries import said_so_far
from ..timeline.models import TimelineEvent
from .criteria import LABELS
from .service import View, assessment_of
from .submissions import submissions_of

REPORT_KINDS = ("initial", "intermediate", "final")
#: the template's "type of submission" for each report (a reclassification replaces any of them)
SUBMISSION_TYPES = {
    "initial": "initial_notification",
    "intermediate": "intermediate_report",
    "final": "final_report",
}


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601 ending in Z, as the API writes times."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def report_draft(incident_id, kind, *, actor) -> dict:
    """The DORA report `kind`'s fields the desk can fill, for anyone who may read the incident."""
    # the reader check comes first: a caller who may not read is refused whatever kind they sent
    view = assessment_of(incident_id, actor=actor)
    if kind not in REPORT_KINDS:
        raise Invalid("bad_kind", _("kind is initial, intermediate or final."), "kind")
    fields: dict = {}
    to_fill: list[str] = []

    def put(name: str, value) -> None:
        # an empty value is one the desk does not know: a person fills it in the portal
        if value in (None, "", [], {}):
            to_fill.append(name)
        else:
            fields[name] = value

    made = submissions_of(view.incident.id)
    _initial(view, kind, put)
    if kind in ("intermediate", "final"):
        _intermediate(view, made, put)
    if kind == "final":
        _final(view, made, put)
    return {
        "kind": kind,
        "draft": True,
        "drill": view.incident.drill,
        "notice": _("Draft for the authority's reporting portal; the desk does not submit."),
        "incident_id": view.incident.id,
        "fields": fields,
        "to_fill": to_fill,
    }


def _met(view: View) -> list[tuple[str, dict]]:
    return [(name, value) for name, value in view.criteria.items() if value["met"]]


def _initial(view: View, kind: str, put) -> None:
    incident = view.incident
    put("incident_reference_code", incident.ref)
    put(
        "submission_type",
        "reclassification" if view.reclassified_at is not None else SUBMISSION_TYPES[kind],
    )
    put("detected_at", iso(view.aware_at))
    put("classified_at", iso(view.major_since))
    put("description", "\n\n".join(part for part in (incident.title, incident.summary) if part))
    put(
        "classification_criteria",
        [
            {"criterion": name, "label": str(LABELS[name]), "value": value["value"]}
            for name, value in _met(view)
        ],
    )
    geography = view.criteria["geography"]
    put("member_states_affected", geography["value"] if geography["met"] else None)
    # the template asks how the incident was discovered, whether it came from a third party and
    # whether the continuity plan ran: the desk holds none of it as data
    put("discovery", None)
    put("third_party_origin", None)
    put("business_continuity_plan_activated", None)
    put("other_information", view.reasons)


def _intermediate(view: View, made: list, put) -> None:
    initial = next((s for s in made if s.kind == "dora_initial"), None)
    put("initial_notification_reference", initial.reference if initial else None)
    put("initial_notification_submitted_at", iso(initial.submitted_at) if initial else None)
    put("incident_type", None)
    put("threats_and_techniques", None)
    put("affected_functional_areas", None)
    put(
        "impact_by_criterion",
        {
            name: {
                "label": str(LABELS[name]),
                "value": value["value"],
                "evidence": value["evidence"],
            }
            for name, value in _met(view)
        },
    )
    put(
        "communication_to_clients",
        [
            {
                "response": response.id,
                "channel": response.channel,
                "published_at": iso(response.published_at),
                "url": response.published_url,
            }
            for response in said_so_far(view.incident.id)
        ],
    )
    put("temporary_actions", None)


def _final(view: View, made: list, put) -> None:
    put("root_cause", None)
    put("resolved_at", iso(resolved_at(view.incident)))
    put("lessons_learned", None)
    # the final report follows the latest intermediate report (its clock does too)
    latest = next((s for s in reversed(made) if s.kind == "dora_intermediate"), None)
    put("intermediate_report_reference", latest.reference if latest else None)


def resolved_at(incident) -> datetime | None:
    """When the incident was last marked resolved, if it still is (or closed); else closed_at."""
    if incident.status not in ("resolved", "closed"):
        return None
    events = db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == incident.id, TimelineEvent.kind == "status_changed")
        .order_by(TimelineEvent.seq.desc())
    )
    # a reopened and resolved-again incident was resolved the last time, not the first
    for event in events:
        if json.loads(event.data).get("after") == "resolved":
            return event.at
    return incident.closed_at
