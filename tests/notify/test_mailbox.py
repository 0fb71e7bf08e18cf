"""The development mailbox: with MAIL_CAPTURE mail is kept in the desk instead of sent."""

import pytest
from sqlalchemy import func, select

from crisisdesk import create_app
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.mail import CapturedMail
from crisisdesk.notify import mailbox, worker
from crisisdesk.notify.models import Delivery

from ..conftest import login


@pytest.fixture
def people(make_user):
    return {
        "olga": make_user("olga", roles=["oncall"], email="olga@bank.example"),
        "max": make_user("max", roles=["management"], email="max@bank.example"),
        "ada": make_user("ada", roles=["admin"], email="ada@bank.example", timezone="Asia/Tokyo"),
    }


@pytest.fixture
def capture(app):
    # port 1 listens nowhere: a mail that tried SMTP would fail its delivery
    app.config.update(MAIL_CAPTURE=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)


def kept() -> list[CapturedMail]:
    db.session.rollback()
    return list(db.session.scalars(select(CapturedMail).order_by(CapturedMail.id)))


def open_crisis(people, title="Crisis <b>now</b>"):
    return incidents.open_incident(
        actor=people["olga"], title=title, severity=1, playbook="it-provider-outage-en"
    )


def test_captured_mail_is_delivered_and_shown_to_admins_escaped(app, clock, capture, people):
    incident = open_crisis(people)
    worker.tick()
    mails = kept()
    to_max = next(mail for mail in mails if mail.recipient == "max@bank.example")
    assert incident.ref in to_max.subject
    assert "Crisis <b>now</b>" in to_max.body  # the text part, kept as written
    assert (
        db.session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status != "sent")
        )
        == 0
    )
    client = app.test_client()
    login(client, "ada")
    page = client.get("/admin/mailbox").get_data(as_text=True)
    assert "To: max@bank.example" in page and to_max.subject in page
    assert "Crisis &lt;b&gt;now&lt;/b&gt;" in page and "<b>now</b>" not in page
    assert "2026-11-29 18:00" in page  # 09:00 UTC in Ada's zone (Tokyo)


def test_mailbox_pages_newest_first(app, clock, capture, people):
    db.session.add_all(
        CapturedMail(sender="d", recipient=f"r{n}@x", subject=f"s {n}", body="", message_id="")
        for n in range(mailbox.PAGE_SIZE + 3)
    )
    db.session.commit()
    first = mailbox.kept_mail(actor=people["ada"])
    assert [m.subject for m in first.mails[:2]] == ["s 52", "s 51"]
    second = mailbox.kept_mail(actor=people["ada"], before=first.older)
    assert [m.subject for m in second.mails] == ["s 2", "s 1", "s 0"]
    assert second.older is None
    client = app.test_client()
    login(client, "ada")
    assert "Older mail" in client.get("/admin/mailbox").get_data(as_text=True)
    for before in ("abc", "-5", "99999999999999999999999", "0"):
        assert client.get(f"/admin/mailbox?before={before}").status_code == 200


def test_only_admins_read_the_mailbox(app, capture, people):
    anonymous = app.test_client().get("/admin/mailbox")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    client = app.test_client()
    login(client, "olga")
    assert client.get("/admin/mailbox").status_code == 403
    assert "/admin/mailbox" not in client.get("/notifications").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "ada")
    assert admin.get("/admin/mailbox").status_code == 200
    assert "/admin/mailbox" in admin.get("/notifications").get_data(as_text=True)


def test_without_capture_there_is_no_mailbox_and_mail_goes_to_smtp(app, clock, smtp, people):
    admin = app.test_client()
    login(admin, "ada")
    assert admin.get("/admin/mailbox").status_code == 404
    assert "/admin/mailbox" not in admin.get("/notifications").get_data(as_text=True)
    open_crisis(people)
    worker.tick()
    assert any(message.rcpt_tos == ["max@bank.example"] for message in smtp.messages)
    assert kept() == []


def test_capture_is_refused_in_production(tmp_path):
    with pytest.raises(RuntimeError, match="MAIL_CAPTURE"):
        create_app(
            {
                "DEPLOYMENT": "production",
                "SECRET_KEY": "k" * 32,
                "MAIL_CAPTURE": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}",
            }
        )
