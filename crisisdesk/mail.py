"""Sending mail over SMTP: the one place that builds
the headers every mail carries and talks to the server.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app

from . import clock


def base_message(subject: str, to: str) -> EmailMessage:
    """A message with the headers every mail of the desk carries.

    `Date` is mandatory (RFC 5322; filters distrust mail without it) and `Auto-Submitted`
    (RFC 3834) keeps out-of-office replies from answering an escalation.
    """
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain="crisisdesk")
    message["Auto-Submitted"] = "auto-generated"
    return message


def send_mail(message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server (raises on failure)."""
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
