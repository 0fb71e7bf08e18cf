"""Escalation follows the rota: the person on duty first, then the role, hand-overs told."""

import pytest
from sqlalchemy import select

from crisisdesk.errors import Conflict, Forbidden
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents.escalation_rules import claim_next_rules, tell_handovers
from crisisdesk.notify import worker
from crisisdesk.notify.models import Notification
from crisisdesk.people import duties

from ..conftest import login, run_together
from .conftest import events

# the shared policy at severity 1: legal at minute 15, the legal duty first, the role after 10


@pytest.fixture
def rota(app, make_user, olga):
    """Lena (legal) holds the legal duty until Monday 30 November 08:00 Berlin, then Otto (on
    call, standing in for legal) for a week; Lars is legal but not on the rota."""
    admin = make_user("ada", roles=["admin"])
    people = {
        "lena": make_user("lena", roles=["legal"], display_name="Lena Recht"),
        "otto": make_user("otto", roles=["oncall"], display_name="Otto Ruf"),
        "lars": make_user("lars", roles=["legal"]),
    }
    duties.save_duty(
        "legal-duty",
        actor=admin,
        title="Rechtsbereitschaft",
        period="weekly",
        members=["lena", "otto"],
        starts_on="2026-11-23",
        handover="08:00",
        zone="Europe/Berlin",
    )
    return people


def _legal_step(incident):
    db.session.refresh(incident)
    return next(s for s in incident.steps if s.target_role == "legal")


def _told(kind="escalation"):
    db.session.rollback()
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_the_person_on_duty_is_told_first_then_every_holder_of_the_role(open_one, rota, clock):
    incident = open_one()  # Sunday 29 November, 10:00 Berlin: Lena's week
    step = _legal_step(incident)
    assert (step.target_duty, step.repeat_after) == ("legal-duty", 10)
    clock.advance(minutes=15)
    worker.tick()
    step = _legal_step(incident)
    assert (step.status, step.stage, step.notified_user) == ("notified", 1, "lena")
    told = [e.data for e in events(incident.id, "escalation_notified")]
    assert any('"user":"lena"' in data and '"duty":"legal-duty"' in data for data in told)
    lena, lars = rota["lena"].id, rota["lars"].id
    assert lena in _told() and lars not in _told()
    clock.advance(minutes=9)
    assert claim_next_rules() == 0  # not yet
    clock.advance(minutes=1)
    worker.tick()
    step = _legal_step(incident)
    assert (step.stage, step.notified_user, step.next_rule_at) == (2, None, None)
    assert lars in _told()  # every holder of the role now
    clock.advance(hours=1)
    assert claim_next_rules() == 0  # no rule left


def test_a_duty_nobody_holds_passes_to_the_role_at_once(open_one, make_user, clock):
    make_user("lars", roles=["legal"])
    incident = open_one()  # no legal duty is set up
    clock.advance(minutes=15)
    worker.tick()
    step = _legal_step(incident)
    assert (step.stage, step.notified_user) == (2, None)
    [event] = [e for e in events(incident.id, "escalation_notified") if '"legal"' in e.data]
    assert '"passed":["legal-duty"]' in event.data


def test_a_handover_during_an_open_step_tells_the_incoming_person(open_one, rota, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    clock.freeze(datetime(2026, 11, 30, 7, 40, tzinfo=ZoneInfo("Europe/Berlin")))
    incident = open_one()
    clock.advance(minutes=15)  # 07:55: Lena is told
    worker.tick()
    assert _legal_step(incident).notified_user == "lena"
    clock.advance(minutes=6)  # 08:01: Otto took over at 08:00
    assert tell_handovers() == 1
    assert tell_handovers() == 0  # once
    step = _legal_step(incident)
    assert (step.notified_user, step.stage) == ("otto", 1)
    assert '"handover_from":"lena"' in events(incident.id, "escalation_notified")[-1].data
    # Otto is not legal, but he was told in person: he may acknowledge, once
    acknowledged = escalation.acknowledge(incident.id, step.id, actor=rota["otto"])
    assert acknowledged.status == "acknowledged"
    with pytest.raises(Conflict):
        escalation.acknowledge(incident.id, step.id, actor=rota["lena"])


def test_someone_neither_told_nor_holding_the_role_may_not_acknowledge(
    open_one, rota, make_user, clock
):
    incident = open_one()
    clock.advance(minutes=15)
    worker.tick()
    with pytest.raises(Forbidden):
        escalation.acknowledge(incident.id, _legal_step(incident).id, actor=rota["otto"])


def test_two_workers_tell_the_next_rule_once(app, open_one, rota, clock):
    incident = open_one()
    clock.advance(minutes=15)
    worker.tick()
    clock.advance(minutes=10)
    results, errors = run_together(app, 2, lambda _i: claim_next_rules())
    assert errors == [] and sorted(results) == [0, 1]
    second = [e for e in events(incident.id, "escalation_notified") if '"rule":2' in e.data]
    assert len([e for e in second if '"legal"' in e.data]) == 1


def test_the_room_names_who_is_told_first(client, open_one, rota, clock):
    incident = open_one()
    login(client, "olga")
    client.post("/language", data={"language": "en"})
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "First Lena Recht on duty (legal-duty), then every Legal after 10 min" in room
    clock.advance(minutes=15)
    worker.tick()
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Told in person: Lena Recht (legal-duty)" in room
