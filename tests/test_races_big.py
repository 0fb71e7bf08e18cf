"""Bigger races: 32 people acknowledging one step; 8 writers × 500 timeline events at once."""

import pytest
from sqlalchemy import func, select

from crisisdesk.accounts.service import find_user
from crisisdesk.database import begin_write
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.timeline import append_event, scopes, verify_chain
from crisisdesk.timeline.models import TimelineEvent

from .conftest import run_together


@pytest.fixture(autouse=True)
def _toy_kind(monkeypatch):
    """A "toy" event stands for any kind; the registry (timeline/scopes.py) knows the desk's."""
    monkeypatch.setitem(scopes.HEADS_BY_KIND, "toy", ())


def _acknowledgements() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(TimelineEvent)
        .where(TimelineEvent.kind == "escalation_acknowledged")
    )


def test_32_people_acknowledge_one_step(app, make_user):
    people = 32
    olga = make_user("olga", roles=["oncall"])
    incident = incidents.open_incident(
        actor=olga, title="Crisis", severity=1, playbook="it-provider-outage-en"
    )
    # the opener took on the minute-0 step already; the race is over the first one left open
    step_id = next(step.id for step in incident.steps if step.status == "pending")
    incident_id, before = incident.id, _acknowledgements()
    db.session.rollback()

    def ack(_number):
        escalation.acknowledge(incident_id, step_id, actor=find_user("olga"))
        return "won"

    results, errors = run_together(app, people, ack)
    assert results.count("won") == 1
    assert sum(isinstance(error, Conflict) for error in errors) == people - 1
    db.session.rollback()
    assert _acknowledgements() == before + 1


def test_8_writers_500_events_each(app):
    def write(number):
        for index in range(500):
            begin_write()
            append_event("toy", actor=None, data={"writer": number, "index": index})
            db.session.commit()
        return "done"

    assert run_together(app, 8, write, timeout=300) == (["done"] * 8, [])
    db.session.rollback()
    seqs = db.session.scalars(select(TimelineEvent.seq).order_by(TimelineEvent.seq)).all()
    assert seqs == list(range(1, 4001))
    report = verify_chain()
    assert report.ok and report.events_checked == 4000
