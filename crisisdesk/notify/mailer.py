"""Mail over SMTP: plain text + HTML, in the recipient's language, with a link to the incident."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..timeline.describe import describe


def compose_mail(event, user, incident) -> EmailMessage:
    """Build the message for one user."""
    config = current_app.config
    link = f"{config['BASE_URL'].rstrip('/')}/incidents/{incident.id}" if incident else config["BASE_URL"]
    with force_locale(user.language):
        sentence = describe(event)
        subject = (f"[{incident.ref}] " if incident else "") + _("CrisisDesk: %(what)s", what=_subject(event))
        context = {"user": user, "event": event, "incident": incident, "sentence": sentence, "link": link}
        text = render_template("notify/mail.txt", **context)
        html = render_template("notify/mail.html", **context)
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = config["MAIL_SENDER"]
    message["To"] = user.email
    message["Message-ID"] = make_msgid(domain="crisisdesk")
    message["X-CrisisDesk-Event"] = str(event.seq)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _subject(event) -> str:
    subjects = {"escalation_notified": _("escalation step due"), "incident_opened": _("severity 1 incident opened"),
                "response_submitted": _("a response awaits your review"),
                "response_approved": _("your response was approved"),
                "response_rejected": _("your response was rejected"), "role_assigned": _("you have a role"),
                "update_reminder": _("no public update within the cadence")}
    return subjects.get(event.kind, event.kind)


def send_mail(message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server (raises on failure)."""
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
