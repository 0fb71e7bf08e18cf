"""What people wrote reaches mail as written: verbatim in the text part, escaped once in HTML."""

import email
import email.policy

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.mail import send_mail
from crisisdesk.notify import mailer, worker
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import FIXED_NOW
from .conftest import NOTE, TITLE

PLAYBOOK = "it-provider-outage-en"


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_mail_shows_a_note_verbatim_in_text_and_escaped_in_html(app, clock, smtp, olga):
    incident = incidents.open_incident(
        actor=olga, title=TITLE, severity=2, playbook="it-provider-outage-en"
    )
    entries.add_note(incident.id, NOTE, actor=olga)
    db.session.rollback()
    event = db.session.scalar(select(TimelineEvent).where(TimelineEvent.kind == "note_added"))
    send_mail(mailer.compose_mail(event, olga, incident))
    message = parsed(smtp.messages[0])
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"olga noted: {NOTE}" in text and TITLE in text
    assert "&lt;" not in text and "\\<" not in text and "\\&" not in text
    assert (
        "a&lt;b ~c &amp; &lt;!channel&gt; "
        "&lt;https://evil.example/login|Online banking&gt; &amp;amp; *bold*" in html
    )
    assert "Fees &lt;!here&gt; &amp; more" in html
    assert "<!channel>" not in html and "&amp;lt;" not in html  # escaped once by Jinja, not twice


def test_sent_mail_has_date_of_the_clock_and_auto_submitted(app, clock, smtp, olga, make_user):
    make_user("otto", roles=["oncall"], email="otto@bank.example")
    # opened by an alert: the minute-0 step stays pending, so the worker mails the on-call
    incidents.open_incident(
        actor=olga, title="Outage", severity=1, playbook="it-provider-outage-en", by_alert=True
    )
    worker.tick()
    assert smtp.messages
    for envelope in smtp.messages:
        message = parsed(envelope)
        assert message["Date"].datetime == FIXED_NOW
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Message-ID"]


class Crash(BaseException):
    """The worker dies: nothing after this line runs."""


def test_a_mail_resent_after_a_crash_carries_the_same_delivery_key_and_message_id(
    app, clock, smtp, olga, make_user, monkeypatch
):
    app.config["DELIVERY_LEASE_SECONDS"] = 30
    otto = make_user("otto", roles=["management"], email="otto@bank.example")
    incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    real_send = worker.send_mail

    def send_then_die(message):
        real_send(message)
        raise Crash()

    monkeypatch.setattr(worker, "send_mail", send_then_die)
    with pytest.raises(Crash):
        worker.tick()
    db.session.rollback()
    monkeypatch.setattr(worker, "send_mail", real_send)
    worker.tick()  # within the lease: left alone
    to_otto = [parsed(e) for e in smtp.messages if e.rcpt_tos == [otto.email]]
    assert len(to_otto) == 1
    clock.advance(seconds=31)
    worker.tick()
    to_otto = [parsed(e) for e in smtp.messages if e.rcpt_tos == [otto.email]]
    assert len(to_otto) == 2
    first, again = to_otto
    assert first["X-CrisisDesk-Delivery"] == again["X-CrisisDesk-Delivery"]
    assert first["X-CrisisDesk-Delivery"].endswith(f":mail:{otto.id}")
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@127.0.0.1>")


def test_a_lease_shorter_than_twice_a_send_timeout_is_refused(tmp_path):
    from crisisdesk import create_app

    from ..conftest import make_test_config

    config = make_test_config(
        tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}", DELIVERY_LEASE_SECONDS=15
    )
    with pytest.raises(RuntimeError, match="DELIVERY_LEASE_SECONDS"):
        create_app(config)
    config.update(DELIVERY_LEASE_SECONDS=20)
    assert create_app(config).config["DELIVERY_LEASE_SECONDS"] == 20
