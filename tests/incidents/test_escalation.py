"""Escalation steps: who may acknowledge, overdue,
claiming due steps once, and all of it under concurrency.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crisisdesk.accounts.models import User
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation, service
from crisisdesk.incidents.models import EscalationStep, Incident
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.chain import decoded_data

from ..conftest import FIXED_NOW, run_together
from .conftest import API, PLAYBOOK, events, kinds


@pytest.fixture
def incident(open_one):
    return open_one(severity=1)


def step_for(incident, role: str, nth: int = 0) -> EscalationStep:
    return [s for s in incident.steps if s.target_role == role][nth]


def ack(client, incident_id, step_id, headers):
    return client.post(f"{API}/{incident_id}/escalations/{step_id}/ack", headers=headers)


def all_steps() -> list[EscalationStep]:
    db.session.rollback()
    return list(db.session.scalars(select(EscalationStep).order_by(EscalationStep.id)))


def test_holder_of_the_target_role_acknowledges(client, incident, make_user, token_for, clock):
    step_id = step_for(incident, "legal").id
    clock.advance(minutes=20)
    response = ack(client, incident.id, step_id, token_for(make_user("lena", roles=["legal"])))
    assert response.status_code == 200
    assert (
        response.json["status"],
        response.json["acknowledged_by"],
        response.json["acknowledged_at"],
    ) == ("acknowledged", "lena", "2026-11-29T09:20:00Z")
    db.session.rollback()
    assert kinds(incident.id)[-1] == "escalation_acknowledged"
    assert decoded_data(events(incident.id)[-1])["late_s"] == 5 * 60


def test_second_acknowledgement_is_409(client, incident, make_user, token_for):
    headers, step_id = token_for(make_user("lena", roles=["legal"])), step_for(incident, "legal").id
    assert ack(client, incident.id, step_id, headers).status_code == 200
    response = ack(client, incident.id, step_id, headers)
    assert response.status_code == 409
    db.session.rollback()
    assert kinds(incident.id).count("escalation_acknowledged") == 2  # the opening's, and lena's


def test_someone_without_the_role_who_is_not_lead_gets_403(client, incident, make_user, token_for):
    step_id = step_for(incident, "management").id
    response = ack(client, incident.id, step_id, token_for(make_user("lena", roles=["legal"])))
    assert response.status_code == 403
    assert next(s for s in all_steps() if s.id == step_id).status == "pending"


def test_lead_may_acknowledge_a_management_step(client, incident, olga, token_for):
    response = ack(client, incident.id, step_for(incident, "management").id, token_for(olga))
    assert response.status_code == 200 and response.json["acknowledged_by"] == "olga"


def test_unknown_step_and_step_of_another_incident_are_404(client, open_one, olga, token_for):
    first, second = open_one(), open_one()
    headers = token_for(olga)
    assert ack(client, first.id, 9999, headers).status_code == 404
    assert ack(client, first.id, second.steps[-1].id, headers).status_code == 404
    # nothing but the lead steps the openings took on was acknowledged
    assert {s.key for s in all_steps() if s.status != "pending"} == {"oncall:0"}


def test_step_is_overdue_after_its_due_time_until_acknowledged(incident, olga, clock):
    step = step_for(incident, "management")
    assert step.due_at == FIXED_NOW + timedelta(minutes=15)
    clock.advance(minutes=15)
    assert not step.overdue(clock.now())  # due now, not yet past due
    clock.advance(seconds=1)
    assert step.overdue(clock.now())
    step = escalation.acknowledge(incident.id, step.id, actor=olga)
    assert not step.overdue(clock.now())


def test_claim_marks_only_due_pending_steps_once(incident, olga, clock):
    clock.advance(minutes=20)  # the oncall step was taken on by olga's opening
    claimed = escalation.claim_due_steps()
    assert sorted(s.key for s in claimed) == ["legal:0", "management:0"]
    statuses = {s.key: (s.status, s.notified_at) for s in all_steps()}
    assert statuses == {
        "oncall:0": ("acknowledged", None),
        "management:0": ("notified", clock.now()),
        "legal:0": ("notified", clock.now()),
        "management:1": ("pending", None),
        "management:2": ("pending", None),
    }
    assert kinds(incident.id).count("escalation_notified") == 2
    assert escalation.claim_due_steps() == []
    assert len(events(kind="escalation_notified")) == 2


def test_notified_step_can_still_be_acknowledged(incident, olga, clock):
    clock.advance(minutes=15)
    escalation.claim_due_steps()
    step = escalation.acknowledge(incident.id, step_for(incident, "legal").id, actor=olga)
    assert step.status == "acknowledged"


def test_parallel_opens_get_distinct_gapless_refs(app, olga, clock):
    olga_id = olga.id

    def work(index):
        actor = db.session.get(User, olga_id)
        return service.open_incident(
            actor=actor, title=f"Wave {index}", severity=2, playbook=PLAYBOOK
        ).ref

    refs, errors = run_together(app, 20, work)
    assert errors == []
    assert sorted(refs) == [f"CD-2026-{n:04d}" for n in range(1, 21)]
    db.session.rollback()
    assert sorted(db.session.scalars(select(Incident.ref))) == sorted(refs)
    assert verify_chain().ok


def test_parallel_acknowledgements_let_exactly_one_win(app, incident, make_user, clock):
    incident_id, step_id = incident.id, step_for(incident, "legal").id
    user_ids = [make_user(f"legal{n}", roles=["legal"]).id for n in range(8)]

    def work(index):
        actor = db.session.get(User, user_ids[index])
        return escalation.acknowledge(incident_id, step_id, actor=actor).acknowledged_by_id

    winners, errors = run_together(app, 8, work)
    assert len(winners) == 1 and winners[0] in user_ids
    assert len(errors) == 7 and all(isinstance(exc, Conflict) for exc in errors)
    step = next(s for s in all_steps() if s.id == step_id)
    assert (step.status, step.acknowledged_by_id) == ("acknowledged", winners[0])
    # the opening's lead step, and the one winner's
    assert kinds(incident_id).count("escalation_acknowledged") == 2
    assert verify_chain().ok


def test_two_workers_notify_each_due_step_exactly_once(app, open_one, clock):
    for _ in range(6):
        open_one(severity=1, by_alert=True)  # 5 steps each, none taken on by a person
    clock.advance(minutes=60)

    claimed, errors = run_together(
        app, 2, lambda _index: [s.id for s in escalation.claim_due_steps()]
    )
    assert errors == []
    steps = all_steps()
    assert len(steps) == 30 and {s.status for s in steps} == {"notified"}
    assert sorted(claimed[0] + claimed[1]) == [s.id for s in steps]
    notified = [decoded_data(e)["step"] for e in events(kind="escalation_notified")]
    assert len(notified) == 30 and sorted(notified) == [s.id for s in steps]
    assert verify_chain().ok
