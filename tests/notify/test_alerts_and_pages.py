"""Inbound alerts (token or signed body), the bell, mail choices, webhook admin pages, the CLI."""

import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident, SourceLink
from crisisdesk.notify import bell, worker
from crisisdesk.notify.models import Webhook, WorkerCursor

from ..conftest import login

KEY = "alert-signing-key-0123456789"


@pytest.fixture
def oncall(make_user, token_for):
    return token_for(make_user("olga", roles=["oncall"]))


def test_alert_opens_then_adds_to_the_open_incident(client, oncall):
    first = client.post(
        "/api/v1/alerts",
        headers=oncall,
        json={
            "dedupe_key": "listening-42",
            "title": "Phishing SMS wave",
            "summary": "SMS asks for TAN",
            "source_url": "https://x.com/a/1",
            "channel": "sms",
        },
    )
    assert first.status_code == 201 and first.json["playbook"].startswith("phishing-wave")
    again = client.post(
        "/api/v1/alerts",
        headers=oncall,
        json={
            "dedupe_key": "listening-42",
            "title": "Phishing SMS wave",
            "source_url": "https://x.com/a/2",
        },
    )
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert again.json["source_links"] == ["https://x.com/a/1", "https://x.com/a/2"]
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 1


def test_signed_alert_acts_as_the_alert_account(app, client, make_user, clock):
    app.config["ALERT_SECRET"] = KEY
    make_user("alerts", roles=["oncall"])
    body = json.dumps(
        {
            "dedupe_key": "mon-1",
            "title": "Online banking down",
            "playbook": "ddos-online-banking-en",
            "severity": 1,
        }
    ).encode()
    stamp = str(int(clock.now().timestamp()))
    signature = (
        "sha256=" + hmac.new(KEY.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    response = client.post(
        "/api/v1/alerts",
        data=body,
        headers={
            "X-CrisisDesk-Signature": signature,
            "X-CrisisDesk-Timestamp": stamp,
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 201 and response.json["opened_by"] == "alerts"
    assert response.json["severity"] == 1


@pytest.mark.parametrize("signature", ["sha256=" + "0" * 64, "md5=abc", ""])
def test_badly_signed_alert_is_401(app, client, make_user, signature):
    app.config["ALERT_SECRET"] = KEY
    make_user("alerts", roles=["oncall"])
    response = client.post(
        "/api/v1/alerts",
        data=b'{"dedupe_key": "x", "title": "t"}',
        headers={"X-CrisisDesk-Signature": signature, "Content-Type": "application/json"},
    )
    assert response.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


@pytest.mark.parametrize(
    "body,field",
    [
        ({"title": "No key"}, "dedupe_key"),
        ({"dedupe_key": "k"}, "title"),
        ({"dedupe_key": "k", "title": "Qwxyzvb Pfnrtk"}, "playbook"),
        (
            {
                "dedupe_key": "k",
                "title": "t",
                "playbook": "phishing-wave-en",
                "source_url": "javascript:x",
            },
            "source_url",
        ),
        ({"dedupe_key": "k", "title": "t", "playbook": "phishing-wave-en", "extra": 1}, "extra"),
    ],
)
def test_alert_with_missing_or_bad_field_is_422(client, oncall, body, field):
    response = client.post("/api/v1/alerts", headers=oncall, json=body)
    assert response.status_code == 422 and response.json["error"]["field"] == field


def test_management_token_cannot_raise_alerts(client, make_user, token_for):
    headers = token_for(make_user("max", roles=["management"]))
    response = client.post(
        "/api/v1/alerts",
        headers=headers,
        json={"dedupe_key": "k", "title": "t", "playbook": "phishing-wave-en"},
    )
    assert response.status_code == 403


def test_bell_counts_unread_and_marks_read(client, make_user, clock):
    from crisisdesk.incidents import service as incidents

    olga = make_user("olga", roles=["oncall"])
    make_user("otto", roles=["oncall"])
    # opened by an alert: the minute-0 step stays pending, so the worker notifies every on-call
    incidents.open_incident(
        actor=olga, title="Crisis", severity=1, playbook="it-provider-outage-en", by_alert=True
    )
    worker.tick()
    login(client, "otto")
    page = client.get("/").get_data(as_text=True)
    assert 'badge text-bg-danger">1<' in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Escalation step due for your role" in listing
    client.post("/notifications/read")
    assert 'badge text-bg-danger">1<' not in client.get("/").get_data(as_text=True)


def test_mail_choices_are_saved(client, make_user):
    olga = make_user("olga", roles=["oncall"])
    login(client, "olga")
    client.post("/notifications/mail", data={"mail": ["escalation", "review"]})
    db.session.rollback()
    prefs = bell.mail_preferences(olga)
    assert prefs["escalation"] and prefs["review"] and not prefs["reminder"]


def test_admin_adds_pauses_and_reads_webhooks(client, make_user):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    bad = client.post(
        "/admin/webhooks", data={"url": "ftp://x", "secret": "0123456789abcdef", "format": "json"}
    )
    assert bad.status_code == 422 and "http(s)" in bad.get_data(as_text=True)
    ok = client.post(
        "/admin/webhooks",
        data={
            "url": "https://hooks.example/x",
            "secret": "0123456789abcdef",
            "format": "chat",
            "events": ["incident_opened"],
        },
    )
    assert ok.status_code == 302
    hook = db.session.scalar(select(Webhook))
    assert json.loads(hook.events) == ["incident_opened"] and hook.format == "chat"
    client.post(f"/admin/webhooks/{hook.id}/active", data={"active": "0"})
    db.session.rollback()
    assert not db.session.get(Webhook, hook.id).active
    assert client.get(f"/admin/webhooks/{hook.id}").status_code == 200


def test_non_admins_cannot_see_webhooks(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    assert client.get("/admin/webhooks").status_code == 403


def test_cli_adds_webhook_and_runs_one_round(runner):
    result = runner.invoke(
        args=[
            "webhooks",
            "add",
            "https://hooks.example/y",
            "--secret",
            "0123456789abcdef",
            "--event",
            "incident_opened",
        ]
    )
    assert result.exit_code == 0 and "webhook 1" in result.output
    assert (
        runner.invoke(args=["webhooks", "add", "ftp://x", "--secret", "0123456789abcdef"]).exit_code
        != 0
    )
    assert "https://hooks.example/y" in runner.invoke(args=["webhooks", "list"]).output
    db.session.rollback()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "one round" in result.output
    assert db.session.scalar(select(func.count()).select_from(WorkerCursor)) == 1


def test_source_link_added_by_alert_is_a_timeline_event(client, oncall):
    client.post(
        "/api/v1/alerts",
        headers=oncall,
        json={"dedupe_key": "k9", "title": "Fee storm", "playbook": "fee-dispute-en"},
    )
    client.post(
        "/api/v1/alerts",
        headers=oncall,
        json={"dedupe_key": "k9", "title": "Fee storm", "source_url": "https://x.com/b/1"},
    )
    assert db.session.scalar(select(func.count()).select_from(SourceLink)) == 1
