"""Sending mail over SMTP: the one place that builds
the headers every mail carries and talks to the server.

In development (`MAIL_CAPTURE`) mail is kept in the `captured_mail` table instead of sent, so a
desk without a mail server delivers every notification and shows it in the development mailbox.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from sqlalchemy import String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column

from . import clock
from .database import UTCDateTime
from .extensions import db

BODY_MAX = 100_000  #: characters of a captured text body; the rest is cut off


class CapturedMail(db.Model):
    """A mail kept instead of sent (development only); read in the development mailbox."""

    __tablename__ = "captured_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(1000))
    subject: Mapped[str] = mapped_column(String(300))
    #: the plain-text part only: the HTML part is never kept, so it can never be shown
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))


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


def capturing() -> bool:
    """Whether mail is kept in the development mailbox instead of sent."""
    return bool(current_app.config.get("MAIL_CAPTURE"))


def send_mail(message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server, or to the mailbox when capturing
    (raises on failure)."""
    if capturing():
        _capture(message)
        return
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _capture(message: EmailMessage) -> None:
    # Its own connection and transaction, like a mail server: keeping the mail neither commits
    # nor waits for the caller's transaction, and a caller's rollback cannot unsend it.
    text_part = message.get_body(preferencelist=("plain",))
    body = text_part.get_content() if text_part is not None else ""
    with db.engine.begin() as connection:
        connection.execute(
            insert(CapturedMail).values(
                captured_at=clock.now(),
                sender=str(message["From"] or "")[:320],
                recipient=str(message["To"] or "")[:1000],
                subject=str(message["Subject"] or "")[:300],
                body=body[:BODY_MAX],
                message_id=str(message["Message-ID"] or "")[:300],
            )
        )
