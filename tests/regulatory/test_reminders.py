"""The worker reminds compliance and management before a report falls due, and once when overdue."""

import json

from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.notify import worker
from crisisdesk.notify.models import Delivery, Notification
from crisisdesk.regulatory import service
from crisisdesk.regulatory.reminders import raise_clock_reminders
from crisisdesk.regulatory.submissions import record_submission
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import run_together
from .conftest import MAJOR, berlin


def _reminders():
    return [
        json.loads(e.data)["lead"]
        for e in db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.kind == "regulatory_reminder")
            .order_by(TimelineEvent.seq)
        )
    ]


def _classified(people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))  # initial notification due 14:00
    service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    return incident


def test_one_reminder_per_lead_time_and_one_when_overdue(people, open_at, clock):
    _classified(people, open_at)
    for moment, expected in (
        (berlin(2026, 12, 4, 12, 59), []),
        (berlin(2026, 12, 4, 13, 0), ["60"]),
        (berlin(2026, 12, 4, 13, 30), ["60"]),
        (berlin(2026, 12, 4, 13, 45), ["60", "15"]),
        (berlin(2026, 12, 4, 14, 0), ["60", "15"]),
        (berlin(2026, 12, 4, 14, 1), ["60", "15", "overdue"]),
        (berlin(2026, 12, 5, 9, 0), ["60", "15", "overdue"]),
    ):
        clock.freeze(moment)
        raise_clock_reminders()
        assert _reminders() == expected, moment


def test_a_worker_waking_late_sends_the_most_urgent_reminder_alone(people, open_at, clock):
    _classified(people, open_at)
    clock.freeze(berlin(2026, 12, 4, 13, 50))
    assert raise_clock_reminders() == 1
    clock.freeze(berlin(2026, 12, 4, 13, 55))
    assert raise_clock_reminders() == 0
    assert _reminders() == ["15"]


def test_a_met_clock_is_not_reminded_and_the_next_one_is(people, open_at, clock):
    incident = _classified(people, open_at)
    clock.freeze(berlin(2026, 12, 4, 12, 0))
    record_submission(incident.id, actor=people["carla"], kind="dora_initial")
    clock.freeze(berlin(2026, 12, 7, 11, 0))  # the intermediate report is due at 12:00
    raise_clock_reminders()
    events = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "regulatory_reminder")
    ).all()
    assert [json.loads(e.data)["clock"] for e in events] == ["dora_intermediate"]


def test_two_workers_remind_once(app, people, open_at, clock):
    _classified(people, open_at)
    clock.freeze(berlin(2026, 12, 4, 13, 10))
    results, errors = run_together(app, 2, lambda _i: raise_clock_reminders())
    assert errors == [] and sorted(results) == [0, 1]
    db.session.rollback()  # read what the workers committed
    assert _reminders() == ["60"]


def test_compliance_and_management_are_told_by_mail_and_bell(people, open_at, clock, make_user):
    _classified(people, open_at)
    both = make_user("bea", roles=["compliance", "management"], email="bea@bank.example")
    clock.freeze(berlin(2026, 12, 4, 14, 5))
    worker.tick()
    told = {
        (n.user_id, n.kind)
        for n in db.session.scalars(select(Notification).where(Notification.kind == "regulatory"))
    }
    expected = {people["carla"].id, people["max"].id, both.id}
    assert told == {(user_id, "regulatory") for user_id in expected}
    # mailed whatever her preferences say (the others have no address)
    mailed = db.session.scalars(
        select(Delivery.user_id)
        .join(TimelineEvent, TimelineEvent.seq == Delivery.event_seq)
        .where(Delivery.channel == "mail", TimelineEvent.kind == "regulatory_reminder")
    ).all()
    assert mailed == [both.id]
    assert people["olga"].id not in {user_id for user_id, _kind in told}
