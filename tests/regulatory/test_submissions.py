"""Reports made stop their clock and start the next; the record of them never changes."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from crisisdesk.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.regulatory import service
from crisisdesk.regulatory.submissions import (
    clocks_of,
    record_submission,
    running_clocks,
    submissions_of,
)

from .conftest import MAJOR, berlin


def _major(incident, people):
    service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )


def _by_kind(incident, actor):
    return {c.kind: c for c in clocks_of(incident.id, actor=actor)}


def test_each_report_stops_its_clock_and_starts_the_next(people, open_at, clock):
    incident = open_at(berlin(2026, 12, 4, 10, 0))  # Friday
    carla = people["carla"]
    _major(incident, people)
    clock.freeze(berlin(2026, 12, 4, 13, 30))
    record_submission(incident.id, actor=carla, kind="dora_initial", reference="BAFIN-4711")
    clocks = _by_kind(incident, carla)
    assert clocks["dora_initial"].status == "met"
    assert clocks["dora_initial"].met_at == berlin(2026, 12, 4, 13, 30)
    # 72 h after the initial notification, on a Monday: no relief needed
    assert clocks["dora_intermediate"].due_at == berlin(2026, 12, 7, 13, 30)
    assert "dora_final" not in clocks
    clock.freeze(berlin(2026, 12, 7, 11, 0))
    record_submission(incident.id, actor=carla, kind="dora_intermediate", reference="BAFIN-4711")
    clock.freeze(berlin(2026, 12, 9, 16, 0))
    record_submission(incident.id, actor=carla, kind="dora_intermediate", text="Update: fixed")
    # the final report: one calendar month after the latest intermediate report
    # 9 January 2027 is a Saturday: the final report may move to noon of Monday
    assert _by_kind(incident, carla)["dora_final"].due_at == berlin(2027, 1, 11, 12, 0)


def test_the_final_report_may_move_past_a_bank_holiday(people, open_at, clock):
    incident = open_at(berlin(2026, 11, 20, 9, 0))
    carla = people["carla"]
    _major(incident, people)
    record_submission(incident.id, actor=carla, kind="dora_initial")
    clock.freeze(berlin(2026, 11, 22, 10, 0))
    record_submission(incident.id, actor=carla, kind="dora_intermediate")
    clock.freeze(berlin(2026, 11, 25, 10, 0))
    record_submission(incident.id, actor=carla, kind="dora_intermediate")
    # due Friday 25 December (Christmas), then a weekend: noon of Monday 28 December
    assert _by_kind(incident, carla)["dora_final"].due_at == berlin(2026, 12, 28, 12, 0)


def test_a_credit_institution_gets_no_weekend_relief_for_its_initial_notification(people, open_at):
    incident = open_at(berlin(2026, 12, 5, 21, 0))  # Saturday evening
    _major(incident, people)
    assert _by_kind(incident, people["carla"])["dora_initial"].due_at == berlin(2026, 12, 6, 1, 0)


def test_reports_out_of_turn_are_refused(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    with pytest.raises(Conflict) as refused:
        record_submission(incident.id, actor=carla, kind="dora_initial")
    assert refused.value.reason == "not_major"
    with pytest.raises(Conflict) as refused:
        record_submission(incident.id, actor=carla, kind="gdpr_art33")
    assert refused.value.reason == "no_breach"
    with pytest.raises(Conflict) as refused:
        record_submission(incident.id, actor=carla, kind="dora_reclassification")
    assert refused.value.reason == "not_reclassified"
    _major(incident, people)
    for kind in ("dora_intermediate", "dora_final"):
        with pytest.raises(Conflict) as refused:
            record_submission(incident.id, actor=carla, kind=kind)
        assert refused.value.reason == "out_of_order"
    with pytest.raises(Invalid) as refused:
        record_submission(
            incident.id, actor=carla, kind="dora_initial", submitted_at=berlin(2026, 12, 4, 9, 0)
        )
    assert refused.value.reason == "before_awareness"
    with pytest.raises(Invalid):
        record_submission(incident.id, actor=carla, kind="bafin_email")
    with pytest.raises(Forbidden):
        record_submission(incident.id, actor=people["olga"], kind="dora_initial")
    assert submissions_of(incident.id) == []


def test_a_late_report_needs_its_reasons(people, open_at, clock):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    _major(incident, people)
    clock.freeze(berlin(2026, 12, 4, 15, 0))  # due at 14:00
    assert _by_kind(incident, carla)["dora_initial"].status == "overdue"
    with pytest.raises(Invalid) as refused:
        record_submission(incident.id, actor=carla, kind="dora_initial")
    assert refused.value.field == "late_reason"
    db.session.rollback()
    row = record_submission(
        incident.id,
        actor=carla,
        kind="dora_initial",
        late_reason="The portal was down; BaFin told by phone at 13:40",
    )
    assert row.late_reason.startswith("The portal")
    # made in time, recorded late: no reasons needed
    service.update_assessment(incident.id, actor=carla, personal_data_breach=True)
    clock.advance(hours=80)
    record_submission(
        incident.id, actor=carla, kind="gdpr_art33", submitted_at=berlin(2026, 12, 5, 10, 0)
    )
    assert _by_kind(incident, carla)["gdpr_art33"].status == "met"


def test_the_reclassification_is_reported_too(people, open_at, clock):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    carla = people["carla"]
    _major(incident, people)
    clock.advance(hours=2)
    service.update_assessment(
        incident.id,
        actor=carla,
        criteria={"clients": {"met": False}},
        decision="not_major",
        reasons="2 % of clients",
    )
    record_submission(incident.id, actor=carla, kind="dora_reclassification", reference="B-9")
    assert [s.kind for s in submissions_of(incident.id)] == ["dora_reclassification"]
    assert running_clocks(actor=people["olga"]) == []


def test_running_clocks_lists_every_incident_soonest_first(people, open_at, clock):
    later = open_at(berlin(2026, 12, 4, 10, 0))
    _major(later, people)
    sooner = open_at(berlin(2026, 12, 4, 9, 0))
    clock.freeze(berlin(2026, 12, 4, 10, 5))
    service.update_assessment(
        sooner.id, actor=people["max"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    service.update_assessment(later.id, actor=people["max"], personal_data_breach=True)
    found = [(i.id, c.kind) for i, c in running_clocks(actor=people["olga"])]
    assert found == [
        (later.id, "dora_initial"),
        (sooner.id, "dora_initial"),
        (later.id, "gdpr_art33"),
    ]
    assert [c.due_at for _i, c in running_clocks(actor=people["olga"])][0] == berlin(
        2026, 12, 4, 14, 0
    )


def test_a_recorded_report_can_be_neither_changed_nor_deleted(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    _major(incident, people)
    row = record_submission(incident.id, actor=people["carla"], kind="dora_initial", reference="A")
    for statement in (
        "UPDATE regulatory_submission SET reference = 'B' WHERE id = :id",
        "DELETE FROM regulatory_submission WHERE id = :id",
    ):
        with pytest.raises(Exception, match="refused"):
            db.session.execute(text(statement), {"id": row.id})
        db.session.rollback()
    assert submissions_of(incident.id)[0].reference == "A"


def test_the_gdpr_clock_runs_over_the_weekend(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 17, 0))  # Friday evening
    service.update_assessment(incident.id, actor=people["carla"], personal_data_breach=True)
    due = _by_kind(incident, people["carla"])["gdpr_art33"].due_at
    assert due == berlin(2026, 12, 7, 17, 0) and due - incident.detected_at == timedelta(hours=72)
