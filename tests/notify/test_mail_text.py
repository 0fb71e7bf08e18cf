"""What people wrote reaches mail as written: verbatim in the text part, escaped once in HTML."""

import email
import email.policy

from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.mail import send_mail
from crisisdesk.notify import mailer, worker
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import FIXED_NOW
from .conftest import NOTE, TITLE


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
