"""Notification mail: plain text + HTML, in the
recipient's language, with a link to the incident.
"""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import base_message
from ..timeline.describe import describe


def compose_mail(event, user, incident, delivery_key: str | None = None) -> EmailMessage:
    """Build the message for one user; a delivery's key makes a resend recognisable."""
    config = current_app.config
    link = (
        f"{config['BASE_URL'].rstrip('/')}/incidents/{incident.id}"
        if incident
        else config["BASE_URL"]
    )
    with force_locale(user.language):
        sentence = describe(event)
        subject = (f"[{incident.ref}] " if incident else "") + _(
            "CrisisDesk: %(what)s", what=_subject(event)
        )
        if incident is not None and incident.drill:  # impossible to take for a real one
            subject = f"[{_('DRILL')}] {subject}"
        context = {
            "user": user,
            "event": event,
            "incident": incident,
            "sentence": sentence,
            "link": link,
        }
        text = render_template("notify/mail.txt", **context)
        html = render_template("notify/mail.html", **context)
    message = base_message(subject, user.email)
    message["X-CrisisDesk-Event"] = str(event.seq)
    if delivery_key:
        # a worker that died after sending is followed by a resend with the same key and
        # Message-ID, which mail clients and the receiving server take as one message
        message["X-CrisisDesk-Delivery"] = delivery_key
        host = urlsplit(config["BASE_URL"]).hostname or "crisisdesk"
        message.replace_header("Message-ID", f"<{delivery_key.replace(':', '.')}@{host}>")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _subject(event) -> str:
    subjects = {
        "escalation_notified": _("escalation step due"),
        "incident_opened": _("severity 1 incident opened"),
        "response_submitted": _("a response awaits your review"),
        "response_approved": _("your response was approved"),
        "response_rejected": _("your response was rejected"),
        "role_assigned": _("you have a role"),
        "lead_taken_over": _("someone took over your lead"),
        "update_reminder": _("no public update within the cadence"),
    }
    return subjects.get(event.kind, event.kind)
