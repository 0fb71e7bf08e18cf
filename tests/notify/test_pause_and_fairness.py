"""A paused webhook holds what is queued; the worker
sends urgent deliveries first and shares a round fairly.
"""

import json

import pytest
from sqlalchemy import func, select

from crisisdesk.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents import entries, escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import service, worker
from crisisdesk.notify.models import Delivery
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import free_port, login

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def people(make_user):
    return {
        "olga": make_user("olga", roles=["oncall"], email="olga@bank.example"),
        "otto": make_user("otto", roles=["oncall"], email="otto@bank.example"),
        "ada": make_user("ada", roles=["admin"], email="ada@bank.example"),
    }


def count(*where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Delivery).where(*where))


def last_event(kind: str) -> dict:
    db.session.rollback()
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == kind).order_by(TimelineEvent.seq.desc())
    ).first()
    return json.loads(event.data)


def queue_notes(hook_url: str, people, number: int):
    hook = service.add_webhook(hook_url, SECRET, events=["note_added"])
    incident = incidents.open_incident(
        actor=people["olga"], title="Fee storm", severity=4, playbook="fee-dispute-en"
    )
    for index in range(number):
        entries.add_note(incident.id, f"note {index}", actor=people["olga"])
    worker.dispatch_events()
    return hook


def test_pausing_holds_queued_deliveries_and_resuming_releases_them(app, clock, receiver, people):
    hook = queue_notes(receiver.url, people, 3)
    assert count(Delivery.webhook_id == hook.id, Delivery.status == "pending") == 3
    service.set_webhook_active(hook.id, False, actor=people["ada"])
    assert count(Delivery.webhook_id == hook.id, Delivery.status == "held") == 3
    assert last_event("webhook_changed") == {"webhook": hook.id, "active": False, "held": 3}
    clock.advance(hours=2)
    worker.tick()
    assert receiver.requests == []
    service.set_webhook_active(hook.id, True, actor=people["ada"])
    assert last_event("webhook_changed") == {"webhook": hook.id, "active": True, "released": 3}
    due = db.session.scalars(
        select(Delivery.next_attempt_at).where(Delivery.webhook_id == hook.id)
    ).all()
    assert due == [clock.now()] * 3
    worker.deliver_due()
    assert len(receiver.requests) == 3 and count(Delivery.status == "sent") == 3


def test_a_delivery_claimed_just_before_the_pause_is_not_sent(
    app, clock, receiver, people, monkeypatch
):
    hook = queue_notes(receiver.url, people, 1)
    real_claim = worker._claim

    def claim_then_pause(delivery_id, now):
        delivery = real_claim(delivery_id, now)
        service.set_webhook_active(
            hook.id, False, actor=people["ada"]
        )  # an admin pauses in between
        return delivery

    monkeypatch.setattr(worker, "_claim", claim_then_pause)
    worker.deliver_due()
    assert receiver.requests == []
    delivery = db.session.scalar(select(Delivery).where(Delivery.webhook_id == hook.id))
    assert (delivery.status, delivery.attempts) == ("held", 0)
    monkeypatch.setattr(worker, "_claim", real_claim)
    service.set_webhook_active(hook.id, True, actor=people["ada"])
    worker.deliver_due()
    assert len(receiver.requests) == 1


def test_a_retry_after_the_pause_waits_held(app, clock, receiver, people, monkeypatch):
    hook = queue_notes(receiver.url, people, 1)
    receiver.script = [503]
    real_send = worker._send

    def pause_while_sending(delivery):
        service.set_webhook_active(hook.id, False, actor=people["ada"])
        db.session.rollback()
        return real_send(delivery)

    monkeypatch.setattr(worker, "_send", pause_while_sending)
    worker.deliver_due()
    assert count(Delivery.webhook_id == hook.id, Delivery.status == "held") == 1


def test_admin_cancels_held_deliveries_with_a_reason(client, clock, receiver, people):
    hook = queue_notes(receiver.url, people, 2)
    service.set_webhook_active(hook.id, False, actor=people["ada"])
    login(client, "ada")
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "2 held" in page and f"/admin/webhooks/{hook.id}/cancel" in page
    refused = client.post(
        f"/admin/webhooks/{hook.id}/cancel", data={"reason": "  "}, follow_redirects=True
    )
    assert "Say why" in refused.get_data(as_text=True)
    assert count(Delivery.status == "held") == 2
    done = client.post(
        f"/admin/webhooks/{hook.id}/cancel",
        data={"reason": "Receiver retired"},
        follow_redirects=True,
    )
    assert "2 held deliveries cancelled" in done.get_data(as_text=True)
    db.session.rollback()
    rows = db.session.scalars(select(Delivery).where(Delivery.webhook_id == hook.id)).all()
    assert {(d.status, d.cancel_reason) for d in rows} == {("cancelled", "Receiver retired")}
    assert last_event("deliveries_cancelled") == {
        "webhook": hook.id,
        "count": 2,
        "reason": "Receiver retired",
    }
    assert "Receiver retired" in client.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)
    service.set_webhook_active(hook.id, True, actor=people["ada"])
    assert last_event("webhook_changed")["released"] == 0
    worker.deliver_due()
    assert receiver.requests == []


def test_cancelling_needs_an_admin_a_reason_and_something_held(app, clock, receiver, people):
    hook = queue_notes(receiver.url, people, 1)
    with pytest.raises(Forbidden):
        service.cancel_held_deliveries(hook.id, "x", actor=people["olga"])
    db.session.rollback()
    with pytest.raises(Conflict):
        service.cancel_held_deliveries(hook.id, "nothing is held", actor=people["ada"])
    db.session.rollback()
    service.set_webhook_active(hook.id, False, actor=people["ada"])
    for reason in ("", None, "x" * 501, 5):
        with pytest.raises(Invalid):
            service.cancel_held_deliveries(hook.id, reason, actor=people["ada"])
        db.session.rollback()
    assert service.cancel_held_deliveries(hook.id, "x" * 500, actor=people["ada"]) == 1


def test_non_admins_cannot_cancel_through_the_page(client, people):
    login(client, "olga")
    assert client.post("/admin/webhooks/1/cancel", data={"reason": "x"}).status_code == 403


def test_failing_webhook_does_not_starve_escalation_mails(app, clock, smtp, people):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    dead = f"http://127.0.0.1:{free_port()}/hook"  # nobody listens: every call fails
    queue_notes(dead, people, 60)
    assert count(Delivery.channel == "webhook", Delivery.status == "pending") == 60
    # opened by an alert: the minute-0 step stays pending, so it is due now and mailed
    incidents.open_incident(
        actor=people["olga"],
        title="Online banking down",
        severity=1,
        playbook="it-provider-outage-en",
        by_alert=True,
    )
    escalation.claim_due_steps()
    worker.dispatch_events()
    mails = db.session.scalars(select(Delivery).where(Delivery.channel == "mail")).all()
    # olga and otto, for each step due now: escalation mails, queued after the 60 webhook calls
    assert len(mails) >= 2 and all(mail.priority == 1 and mail.id > 60 for mail in mails)
    worker.deliver_due()
    assert len(smtp.messages) == len(mails)
    assert {m.rcpt_tos[0] for m in smtp.messages} == {"olga@bank.example", "otto@bank.example"}
    # the dead receiver was tried once; after it failed,
    # the rest of its queue waited for the next round
    assert count(Delivery.channel == "webhook", Delivery.attempts == 1) == 1
    assert count(Delivery.channel == "webhook", Delivery.attempts == 0) == 59


def test_one_destination_gets_at_most_a_few_deliveries_a_round(app, clock, receiver, people):
    queue_notes(receiver.url, people, worker.PER_DESTINATION + 3)
    assert worker.deliver_due() == (worker.PER_DESTINATION, 0)
    assert len(receiver.requests) == worker.PER_DESTINATION
    worker.deliver_due()
    assert len(receiver.requests) == worker.PER_DESTINATION + 3


def test_urgent_deliveries_go_first(app, clock, smtp, people, make_user):
    make_user("max", roles=["management"], email="max@bank.example")
    # opened by an alert: the minute-0 step stays pending, so it is due now and mailed
    incidents.open_incident(
        actor=people["olga"],
        title="Crisis",
        severity=1,
        playbook="it-provider-outage-en",
        by_alert=True,
    )
    worker.dispatch_events()  # management hears of the severity 1 incident (not urgent)
    escalation.claim_due_steps()
    worker.dispatch_events()  # then the step due now is mailed to on-call (urgent)
    queued = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [(d.user_id is not None, d.priority) for d in queued][0] == (True, 0)
    worker.deliver_due(limit=1)
    assert smtp.messages[0].rcpt_tos[0] in ("olga@bank.example", "otto@bank.example")
