"""Assessing an incident: who may, what the rule allows, and what each change leaves behind."""

import json
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from crisisdesk.errors import Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents.models import IncidentChecklistItem
from crisisdesk.regulatory import service
from crisisdesk.regulatory.submissions import clocks_of
from crisisdesk.timeline.describe import describe
from crisisdesk.timeline.models import TimelineEvent

from .conftest import MAJOR, berlin


def _last_event(incident_id):
    return db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == incident_id)
        .order_by(TimelineEvent.seq.desc())
    ).first()


def test_before_anyone_assesses_every_reader_sees_the_detection_time_and_no_decision(
    people, open_at
):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    view = service.assessment_of(incident.id, actor=people["olga"])
    assert view.decision is None and view.rule is None and view.reasons == ""
    assert view.aware_at == incident.detected_at
    assert all(not c["met"] for c in view.criteria.values()) and len(view.criteria) == 8
    assert view.proposal.decision == "not_major"
    assert clocks_of(incident.id, actor=people["olga"]) == []


def test_only_compliance_management_and_admins_assess(people, open_at, make_user):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    for user in (people["olga"], make_user("lena", roles=["legal"])):
        with pytest.raises(Forbidden):
            service.update_assessment(incident.id, actor=user, personal_data_breach=True)
    admin = make_user("ada", roles=["admin"])
    for user in (people["carla"], people["max"], admin):
        service.update_assessment(incident.id, actor=user, criteria={"geography": {"met": True}})
    assert service.assessment_of(incident.id, actor=people["olga"]).criteria["geography"]["met"]


def test_a_major_classification_names_its_rule_and_starts_the_initial_clock(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))  # a Friday
    view = service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    assert view.rule == "critical_services+clients+reputational"
    assert view.decided_by.username == "carla" and view.major_since == incident.opened_at
    [initial] = clocks_of(incident.id, actor=people["olga"])
    assert (initial.kind, initial.status) == ("dora_initial", "running")
    assert initial.due_at == berlin(2026, 12, 4, 14, 0)
    event = _last_event(incident.id)
    assert event.kind == "regulatory_assessed"
    assert json.loads(event.data)["changed"] == ["criteria", "decision", "reasons"]
    with force_locale("en"):
        assert "major ICT-related incident" in describe(event)
        assert "critical_services+clients+reputational" in describe(event)
    with force_locale("de"):
        assert "schwerwiegend" in describe(event)


def test_the_decision_must_agree_with_the_criteria_and_give_reasons(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    with pytest.raises(Invalid) as refused:
        service.update_assessment(incident.id, actor=carla, decision="major", reasons="Feels big")
    assert (refused.value.reason, refused.value.field) == ("contradicts_criteria", "decision")
    with pytest.raises(Invalid) as refused:
        service.update_assessment(
            incident.id, actor=carla, criteria=MAJOR, decision="not_major", reasons="Small"
        )
    assert refused.value.reason == "contradicts_criteria"
    with pytest.raises(Invalid) as refused:
        service.update_assessment(incident.id, actor=carla, criteria=MAJOR, decision="major")
    assert (refused.value.reason, refused.value.field) == ("reasons_required", "reasons")
    # not an ICT incident is a judgement the criteria do not decide
    view = service.update_assessment(
        incident.id,
        actor=carla,
        criteria=MAJOR,
        decision="not_ict",
        reasons="A rumour, no system affected",
    )
    assert view.decision == "not_ict" and view.rule is None
    assert clocks_of(incident.id, actor=carla) == []


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"criteria": {"weather": {"met": True}}}, "criteria.weather"),
        ({"criteria": {"clients": {"met": "yes"}}}, "criteria.clients.met"),
        ({"criteria": {"clients": {"met": True, "colour": "red"}}}, "criteria.clients"),
        ({"criteria": {"clients": {"value": "x" * 501}}}, "criteria.clients.value"),
        ({"criteria": ["clients"]}, "criteria"),
        ({"decision": "huge"}, "decision"),
        ({"personal_data_breach": "true"}, "personal_data_breach"),
        ({"aware_at": "yesterday"}, "aware_at"),
        # a reason is checked even without a new awareness time: refused, never silently dropped
        ({"aware_reason": "x" * (service.REASONS_MAX + 1)}, "aware_reason"),
        ({"aware_reason": 7}, "aware_reason"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_refused_naming_its_field_and_changes_nothing(people, open_at, changes, field):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    before = _last_event(incident.id).seq
    with pytest.raises(Invalid) as refused:
        service.update_assessment(incident.id, actor=people["carla"], **changes)
    assert refused.value.field == field
    db.session.rollback()
    assert _last_event(incident.id).seq == before


def test_correcting_the_awareness_time_needs_a_reason_and_moves_the_clocks(people, open_at, clock):
    incident = open_at(berlin(2026, 12, 8, 9, 0))  # Tuesday
    carla = people["carla"]
    earlier = berlin(2026, 12, 7, 8, 0)  # Monday: the provider's first alert
    with pytest.raises(Invalid) as refused:
        service.update_assessment(incident.id, actor=carla, aware_at=earlier)
    assert refused.value.field == "aware_reason"
    db.session.rollback()
    with pytest.raises(Invalid) as refused:
        service.update_assessment(
            incident.id, actor=carla, aware_at=clock.now() + timedelta(hours=1), aware_reason="typo"
        )
    assert refused.value.reason == "future_time"
    db.session.rollback()
    service.update_assessment(
        incident.id,
        actor=carla,
        aware_at=earlier,
        aware_reason="The provider's alert came on Monday",
    )
    view = service.update_assessment(
        incident.id, actor=carla, criteria=MAJOR, decision="major", reasons="Outage"
    )
    assert view.aware_at == earlier
    # aware Monday 08:00, classified Tuesday 09:00: the 24 h cap has passed, 4 h from now
    [initial] = clocks_of(incident.id, actor=carla)
    assert initial.due_at == berlin(2026, 12, 8, 13, 0)


def test_a_breach_starts_the_gdpr_clock_and_adds_the_art34_step_once(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    service.update_assessment(incident.id, actor=carla, personal_data_breach=True)
    service.update_assessment(incident.id, actor=carla, personal_data_breach=False)
    service.update_assessment(incident.id, actor=carla, personal_data_breach=True)
    items = db.session.scalars(
        select(IncidentChecklistItem).where(
            IncidentChecklistItem.incident_id == incident.id,
            IncidentChecklistItem.item_key == service.ART34_ITEM,
        )
    ).all()
    assert len(items) == 1 and "Art. 34" in items[0].text and "inform them" in items[0].text
    [gdpr] = clocks_of(incident.id, actor=carla)
    assert (gdpr.kind, gdpr.due_at) == ("gdpr_art33", incident.detected_at + timedelta(hours=72))


def test_the_art34_step_speaks_the_playbooks_language(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0), playbook="data-breach-de")
    service.update_assessment(incident.id, actor=people["carla"], personal_data_breach=True)
    item = db.session.scalars(
        select(IncidentChecklistItem).where(IncidentChecklistItem.item_key == service.ART34_ITEM)
    ).one()
    assert "Betroffenen" in item.text


def test_a_major_incident_found_not_major_stops_its_dora_clocks(people, open_at, clock):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    service.update_assessment(
        incident.id, actor=carla, criteria=MAJOR, decision="major", reasons="Outage"
    )
    clock.advance(hours=1)
    view = service.update_assessment(
        incident.id,
        actor=carla,
        criteria={"clients": {"met": False}},
        decision="not_major",
        reasons="Only 2 % of clients after all",
    )
    assert view.reclassified_at == clock.now() and view.rule is None
    [initial] = clocks_of(incident.id, actor=carla)
    assert initial.status == "stopped"
    data = json.loads(_last_event(incident.id).data)
    assert data["reclassified"] is True
    with force_locale("en"):
        assert "reclassified" in describe(_last_event(incident.id))


def test_saving_the_same_assessment_again_adds_no_event(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    service.update_assessment(
        incident.id, actor=carla, criteria=MAJOR, decision="major", reasons="Outage"
    )
    seq = _last_event(incident.id).seq
    service.update_assessment(
        incident.id, actor=carla, criteria=MAJOR, decision="major", reasons="Outage"
    )
    assert _last_event(incident.id).seq == seq
