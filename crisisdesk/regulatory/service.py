"""An incident's regulatory assessment: read by its readers, changed by compliance, management
and administrators; each change one timeline event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..accounts.permissions import require_role
from ..channels import label as channel_label
from ..database import begin_write, get_by_id
from ..errors import Invalid
from ..extensions import db
from ..i18n import decision_label, localtime
from ..incidents import validation
from ..incidents.models import Incident, IncidentChecklistItem
from ..incidents.queries import get_incident
from ..responses.queries import said_so_far
from ..timeline import append_event
from .criteria import CRITERIA, propose
from .models import Assessment

WRITERS = ("compliance", "management", "admin")
DECISIONS = ("major", "not_major", "not_ict")
FIELDS = ("criteria", "decision", "reasons", "personal_data_breach", "aware_at", "aware_reason")
VALUE_MAX, EVIDENCE_MAX, REASONS_MAX = 500, 2000, 5000
#: links and statements the reputational evidence starts with
SUMMARY_ITEMS = 10
#: the checklist item a personal-data breach adds (GDPR Art. 34)
ART34_ITEM = "gdpr-art34-inform"


#: an assessment's values before anyone assessed
UNASSESSED = {"reasons": "", "aware_reason": "", "personal_data_breach": False}


@dataclass(frozen=True)
class View:
    """The assessment as pages and the API show it (also before anyone assessed).

    A snapshot: values read when it was made, so a change to the row later does not reach it.
    """

    incident: Incident
    criteria: dict[str, dict]
    aware_at: datetime
    values: dict = field(repr=False)

    @property
    def proposal(self):
        """What Art. 8 says for the criteria marked met."""
        return propose({name: value["met"] for name, value in self.criteria.items()})

    def __getattr__(self, name):
        # decision, reasons, rule, decided_by, …: None or empty before the first assessment
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)


def can_assess(actor) -> bool:
    """Whether the actor may change assessments and record submissions (pages show forms by it)."""
    return actor.has_role(*WRITERS)


def require_assessor(actor) -> None:
    """Assessing and recording reports to authorities is for compliance, management and admins."""
    require_role(actor, *WRITERS)


def assessment_of(incident_id, *, actor) -> View:
    """The incident's assessment, for anyone who may read the incident."""
    incident = get_incident(incident_id, actor=actor)
    return _view(incident, get_by_id(Assessment, incident.id))


_SNAPSHOT = (
    "decision",
    "reasons",
    "rule",
    "decided_by",
    "decided_at",
    "personal_data_breach",
    "aware_reason",
    "major_since",
    "reclassified_at",
)


def _view(incident: Incident, row: Assessment | None) -> View:
    stored = json.loads(row.criteria) if row is not None else {}
    criteria = {
        name: {"met": False, "value": "", "evidence": "", **stored.get(name, {})}
        for name in CRITERIA
    }
    values = {
        name: getattr(row, name) if row is not None else UNASSESSED.get(name) for name in _SNAPSHOT
    }
    aware_at = row.aware_at if row is not None else incident.detected_at
    return View(incident, criteria, aware_at, values)


def update_assessment(incident_id, *, actor, **changes) -> View:
    """Change criteria, decision (with reasons), the breach flag or the awareness time."""
    begin_write()
    incident = get_incident(incident_id, actor=actor)
    require_assessor(actor)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise Invalid("unknown_field", _("Unknown field: %(field)s.", field=unknown[0]), unknown[0])
    # one writer per incident at a time (PostgreSQL; SQLite has one writer anyway)
    db.session.refresh(incident, ["status"], with_for_update=True)
    row = get_by_id(Assessment, incident.id)
    before = _view(incident, row)
    criteria = _criteria(changes.get("criteria"), before.criteria)
    met = {name: value["met"] for name, value in criteria.items()}
    decision = before.decision if "decision" not in changes else _decision(changes["decision"])
    reasons = before.reasons
    if "reasons" in changes:
        reasons = validation.text(changes["reasons"], "reasons", REASONS_MAX)
    proposal = propose(met)
    if decision in ("major", "not_major") and decision != proposal.decision:
        raise Invalid(
            "contradicts_criteria",
            _(
                "The criteria marked as met make the incident “%(p)s”: change the criteria or the "
                "decision.",
                p=decision_label(proposal.decision),
            ),
            "decision",
        )
    if decision is not None and not reasons:
        raise Invalid("reasons_required", _("Give the reasons for the decision."), "reasons")
    breach = before.personal_data_breach
    if "personal_data_breach" in changes:
        breach = changes["personal_data_breach"]
        if not isinstance(breach, bool):
            raise Invalid(
                "bad_flag", _("personal_data_breach must be true or false."), "personal_data_breach"
            )
    aware_at, aware_reason = _awareness(changes, before)

    now = clock.now()
    row = row or Assessment(incident_id=incident.id, aware_at=incident.detected_at)
    decided = decision != before.decision or reasons != before.reasons
    if decision == "major" and before.decision != "major":
        row.major_since = row.major_since or now
        row.reclassified_at = None
    elif before.decision == "major" and decision != "major":
        row.reclassified_at = now
    row.criteria = json.dumps(criteria, sort_keys=True)
    row.decision, row.reasons = decision, reasons
    row.rule = proposal.rule if decision == "major" else None
    if decided:
        row.decided_by_id, row.decided_at = actor.id, now
    row.personal_data_breach, row.aware_at, row.aware_reason = breach, aware_at, aware_reason
    row.updated_at = now
    db.session.add(row)
    if breach and not before.personal_data_breach:
        _add_art34_item(incident)
    changed = [
        name
        for name, old, new in (
            ("criteria", before.criteria, criteria),
            ("decision", before.decision, decision),
            ("reasons", before.reasons, reasons),
            ("personal_data_breach", before.personal_data_breach, breach),
            ("aware_at", before.aware_at, aware_at),
        )
        if old != new
    ]
    if changed:
        append_event(
            "regulatory_assessed",
            actor=actor,
            incident_id=incident.id,
            data={
                "changed": changed,
                "criteria": criteria,
                "decision": decision,
                "reasons": reasons,
                "rule": row.rule,
                "personal_data_breach": breach,
                "aware_at": aware_at.isoformat(),
                "aware_reason": aware_reason,
                "reclassified": row.reclassified_at == now,
            },
        )
    db.session.commit()
    return _view(incident, row)


def _criteria(given, stored: dict[str, dict]) -> dict[str, dict]:
    if given is None:
        return stored
    if not isinstance(given, dict):
        raise Invalid("bad_criteria", _("criteria must be an object."), "criteria")
    result = {name: dict(value) for name, value in stored.items()}
    for name, value in given.items():
        where = f"criteria.{name[:50]}"
        if name not in CRITERIA:
            raise Invalid("unknown_criterion", _("Unknown criterion: %(c)s.", c=name[:50]), where)
        if not isinstance(value, dict) or set(value) - {"met", "value", "evidence"}:
            raise Invalid("bad_criterion", _("Each criterion has met, value and evidence."), where)
        met = value.get("met", result[name]["met"])
        if not isinstance(met, bool):
            raise Invalid("bad_flag", _("met must be true or false."), f"{where}.met")
        result[name] = {
            "met": met,
            "value": validation.text(
                value.get("value", result[name]["value"]), f"{where}.value", VALUE_MAX
            ),
            "evidence": validation.text(
                value.get("evidence", result[name]["evidence"]), f"{where}.evidence", EVIDENCE_MAX
            ),
        }
    return result


def _decision(value) -> str | None:
    if value is None or value == "":
        return None
    if value not in DECISIONS:
        raise Invalid(
            "bad_decision", _("decision is major, not_major, not_ict or null."), "decision"
        )
    return value


def _awareness(changes: dict, before: View) -> tuple[datetime, str]:
    # checked even when it is not used: a reason too long or not text is refused, never dropped
    reason = validation.text(changes.get("aware_reason"), "aware_reason", REASONS_MAX)
    if changes.get("aware_at") in (None, ""):
        return before.aware_at, before.aware_reason
    aware_at = validation.moment(changes["aware_at"], "aware_at")
    if aware_at == before.aware_at:
        return before.aware_at, before.aware_reason
    if not reason:
        raise Invalid("reason_required", _("Say why the awareness time changes."), "aware_reason")
    return aware_at, reason


def _add_art34_item(incident: Incident) -> None:
    if any(item.item_key == ART34_ITEM for item in incident.checklist):
        return
    position = db.session.scalar(
        select(func.coalesce(func.max(IncidentChecklistItem.position), 0)).where(
            IncidentChecklistItem.incident_id == incident.id
        )
    )
    # in the language of the incident's playbook, like the rest of its checklist
    with force_locale(incident.playbook_version.language):
        text = _(
            "GDPR Art. 34: with the data-protection officer, decide whether the breach is likely "
            "to mean a high risk to the people affected; if so, inform them without undue delay."
        )
    db.session.add(
        IncidentChecklistItem(
            incident_id=incident.id, item_key=ART34_ITEM, position=position + 1, text=str(text)
        )
    )


@dataclass(frozen=True)
class DeskEvidence:
    """What the desk already knows for the reputational criterion."""

    source_links: list  #: SourceLink rows: the coverage and posts the incident is about
    published: list  #: Response rows published: what the bank said, where and when


def desk_evidence(incident: Incident) -> DeskEvidence:
    """The incident's source links and published statements (the caller checked the reader)."""
    return DeskEvidence(list(incident.links), said_so_far(incident.id))


def reputational_summary(evidence: DeskEvidence) -> str:
    """What the desk holds for the reputational criterion, as evidence text to start from."""
    lines = [_("Coverage and posts (source links): %(n)d", n=len(evidence.source_links))]
    lines += [f"- {link.url}" for link in evidence.source_links[:SUMMARY_ITEMS]]
    lines.append(_("Published statements: %(n)d", n=len(evidence.published)))
    lines += [
        f"- {channel_label(r.channel)}, {localtime(r.published_at, 'short')}"
        for r in evidence.published[:SUMMARY_ITEMS]
    ]
    return "\n".join(lines)[:EVIDENCE_MAX]
