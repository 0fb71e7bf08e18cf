"""The worker end to end: real SMTP and HTTP peers,
the fake clock, retries, crashes, several workers.
"""

import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import bell, service, webhooks, worker
from crisisdesk.notify.models import Delivery, Notification
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import run_together

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def people(make_user):
    return {
        "olga": make_user("olga", roles=["oncall"], email="olga@bank.example"),
        "otto": make_user("otto", roles=["oncall"], email="otto@bank.example", language="de"),
        "max": make_user("max", roles=["management"], email="max@bank.example"),
        "lena": make_user("lena", roles=["legal"], email="lena@bank.example"),
    }


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_severity_1_step_mails_each_target_once_and_signs_one_webhook(
    app, clock, smtp, receiver, people
):
    service.add_webhook(receiver.url, SECRET, events=["escalation_notified"])
    # opened by an alert: the minute-0 step stays pending, so the worker notifies every on-call
    incident = incidents.open_incident(
        actor=people["olga"],
        title="Outage",
        severity=1,
        playbook="it-provider-outage-en",
        by_alert=True,
    )
    worker.tick()
    worker.tick()  # a second round sends nothing again
    mails = [
        m
        for m in smtp.messages
        if b"escalation step due" in m.content or b"Eskalation" in m.content
    ]
    assert sorted(m.rcpt_tos[0] for m in mails) == ["olga@bank.example", "otto@bank.example"]
    german = next(m for m in mails if m.rcpt_tos == ["otto@bank.example"]).content.decode()
    assert "Hallo Otto" in german or "Hallo otto" in german
    assert f"http://127.0.0.1:5000/incidents/{incident.id}" in german
    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), sent["body"], hashlib.sha256).hexdigest()
    assert sent["headers"]["x-crisisdesk-signature"] == expected
    body = json.loads(sent["body"])
    assert body["kind"] == "escalation_notified" and body["incident"]["ref"] == incident.ref
    assert sent["headers"]["x-crisisdesk-delivery"].endswith(":webhook:1")
    assert count(Notification, Notification.kind == "escalation") == 2


def test_receiver_failing_twice_then_succeeding_gets_one_success(app, clock, receiver, people):
    service.add_webhook(receiver.url, SECRET, events=["incident_opened"])
    receiver.script = [500, 503]
    incidents.open_incident(
        actor=people["olga"], title="Outage", severity=3, playbook="it-provider-outage-en"
    )
    worker.tick()
    clock.advance(seconds=31)
    worker.tick()
    clock.advance(seconds=61)
    worker.tick()
    clock.advance(seconds=300)
    worker.tick()
    assert len(receiver.requests) == 3
    assert len({r["headers"]["x-crisisdesk-delivery"] for r in receiver.requests}) == 1
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert (delivery.status, delivery.attempts) == ("sent", 3)


class Crash(BaseException):
    """The process dies: nothing after this line runs."""


def test_crash_between_send_and_record_resends_with_the_same_delivery_id(
    app, clock, receiver, people, monkeypatch
):
    service.add_webhook(receiver.url, SECRET, events=["incident_opened"])
    incidents.open_incident(
        actor=people["olga"], title="Outage", severity=3, playbook="it-provider-outage-en"
    )
    real_post = webhooks.post

    def post_then_die(*args, **kwargs):
        real_post(*args, **kwargs)
        raise Crash()

    monkeypatch.setattr(webhooks, "post", post_then_die)
    with pytest.raises(Crash):
        worker.tick()
    db.session.rollback()
    monkeypatch.setattr(webhooks, "post", real_post)
    worker.tick()  # within the lease: the crashed delivery is left alone
    assert len(receiver.requests) == 1
    clock.advance(seconds=worker.lease().total_seconds() + 1)
    worker.tick()
    assert len(receiver.requests) == 2
    assert (
        receiver.requests[0]["headers"]["x-crisisdesk-delivery"]
        == receiver.requests[1]["headers"]["x-crisisdesk-delivery"]
    )
    assert count(Delivery, Delivery.status == "sent") == 1


def test_unreachable_smtp_is_retried_then_failed_and_shown(app, clock, people, client):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, DELIVERY_MAX_ATTEMPTS=3)
    incidents.open_incident(
        actor=people["olga"], title="Outage", severity=1, playbook="it-provider-outage-en"
    )
    for _round in range(4):
        worker.tick()
        clock.advance(hours=1)
    assert count(Delivery, Delivery.status == "failed") >= 2
    failed = db.session.scalars(select(Delivery).where(Delivery.status == "failed")).all()
    assert all(d.attempts == 3 and "Error" in d.last_error for d in failed)


def test_hanging_receiver_times_out_and_huge_answer_is_not_read(app, clock, receiver, people):
    app.config["WEBHOOK_TIMEOUT"] = 0.5
    service.add_webhook(receiver.url, SECRET, events=["incident_opened"])
    receiver.delay = 1.5
    incidents.open_incident(
        actor=people["olga"], title="Outage", severity=3, playbook="it-provider-outage-en"
    )
    worker.tick()
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert delivery.status == "pending" and "timed out" in delivery.last_error.lower()
    receiver.delay, receiver.body_size = 0, 5 * 1024 * 1024
    clock.advance(minutes=1)
    worker.tick()
    db.session.rollback()
    assert db.session.scalar(select(Delivery).where(Delivery.channel == "webhook")).status == "sent"


def test_webhook_must_be_http(app):
    from crisisdesk.errors import Invalid

    for url in ("ftp://bank.example/hook", "javascript:alert(1)", "hook"):
        with pytest.raises(Invalid):
            service.add_webhook(url, SECRET)


def test_mail_preference_respected_but_not_for_severe_escalations(app, clock, smtp, people):
    bell.set_mail_preferences(actor=people["olga"], enabled=set())
    # opened by alerts: the minute-0 steps stay pending, so olga is notified of both
    incidents.open_incident(
        actor=people["otto"],
        title="Watch",
        severity=3,
        playbook="it-provider-outage-en",
        by_alert=True,
    )
    incidents.open_incident(
        actor=people["otto"],
        title="Crisis",
        severity=1,
        playbook="it-provider-outage-en",
        by_alert=True,
    )
    worker.tick()
    to_olga = [m for m in smtp.messages if m.rcpt_tos == ["olga@bank.example"]]
    assert len(to_olga) == 1 and b"Crisis" in to_olga[0].content  # severity 1: mailed anyway


def test_management_hears_of_severity_1(app, clock, smtp, people):
    incidents.open_incident(
        actor=people["olga"], title="Crisis", severity=1, playbook="it-provider-outage-en"
    )
    worker.tick()
    assert any(m.rcpt_tos == ["max@bank.example"] for m in smtp.messages)


def test_update_cadence_reminders(app, clock, people):
    incident = incidents.open_incident(
        actor=people["olga"], title="Crisis", severity=1, playbook="it-provider-outage-en"
    )
    cadence = 30  # it-provider-outage: {1: 30, …}
    clock.advance(minutes=cadence - 1)
    worker.tick()
    assert count(TimelineEvent, TimelineEvent.kind == "update_reminder") == 0
    clock.advance(minutes=2)
    worker.tick()
    worker.tick()
    assert count(TimelineEvent, TimelineEvent.kind == "update_reminder") == 1
    clock.advance(minutes=cadence)
    worker.tick()
    assert count(TimelineEvent, TimelineEvent.kind == "update_reminder") == 2
    assert (
        count(
            Notification, Notification.kind == "reminder", Notification.incident_id == incident.id
        )
        == 2
    )


def test_two_workers_claim_200_due_steps_exactly_once(app, clock, people):
    # severity 1 plans 5 steps, severity 2 four: 225 steps in all; opened by alerts, so the
    # minute-0 steps stay pending too and every step is left for the workers to claim
    for number in range(25):
        incidents.open_incident(
            actor=people["olga"],
            title=f"Crisis {number}",
            severity=1,
            playbook="it-provider-outage-en",
            by_alert=True,
        )
        incidents.open_incident(
            actor=people["olga"],
            title=f"Major {number}",
            severity=2,
            playbook="it-provider-outage-en",
            by_alert=True,
        )
    due = count(escalation.EscalationStep)
    assert due >= 200
    clock.advance(days=1)

    def run(_index):
        while escalation.claim_due_steps(limit=25):
            pass

    _results, errors = run_together(app, 2, run)
    assert errors == []
    assert count(TimelineEvent, TimelineEvent.kind == "escalation_notified") == due
    assert count(escalation.EscalationStep, escalation.EscalationStep.status != "notified") == 0
    assert verify_chain().ok


def test_two_workers_dispatch_events_once(app, clock, people):
    openings = 10
    for number in range(openings):
        # opened by an alert: the minute-0 step stays pending, so the worker notifies every on-call
        incidents.open_incident(
            actor=people["olga"],
            title=f"Crisis {number}",
            severity=1,
            playbook="it-provider-outage-en",
            by_alert=True,
        )

    def run(_index):
        for _round in range(3):
            worker.tick()

    _results, errors = run_together(app, 2, run)
    assert errors == []
    # within the first minutes only the minute-0 step of each opening is due: one on-call step,
    # notified to every on-call person
    oncall = [user for user in people.values() if user.has_role("oncall")]
    assert count(Notification, Notification.kind == "escalation") == openings * len(oncall)
    keys = db.session.scalars(select(Delivery.key)).all()
    assert len(keys) == len(set(keys))


def test_the_lead_someone_took_over_from_hears_of_it(app, clock, smtp, people):
    from crisisdesk.incidents import roles

    incident = incidents.open_incident(
        actor=people["olga"], title="Outage", severity=3, playbook="it-provider-outage-en"
    )
    roles.take_over_lead(incident.id, actor=people["otto"], reason="Olga is off shift")
    worker.tick()
    notes = db.session.scalars(
        select(Notification).where(
            Notification.incident_id == incident.id, Notification.kind == "assigned"
        )
    ).all()
    assert [note.user_id for note in notes] == [people["olga"].id]
    mails = [message for message in smtp.messages if b"took over the lead" in message.content]
    assert [message.rcpt_tos for message in mails] == [["olga@bank.example"]]
    assert b"took over the lead from olga" in mails[0].content
