"""Signed alerts carry a timestamp and cannot be replayed.

A repeated alert reopens or follows a finished incident.
"""

import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import AlertReceipt, Incident
from crisisdesk.review import service as review
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import FIXED_NOW, run_together

KEY = "alert-signing-key-0123456789"
NOW = int(FIXED_NOW.timestamp())
ALERT = {
    "dedupe_key": "mon-1",
    "title": "Online banking down",
    "playbook": "ddos-online-banking-en",
    "severity": 2,
    "source_url": "https://status.example/1",
}


@pytest.fixture
def signing(app, make_user, clock):
    app.config["ALERT_SECRET"] = KEY
    return make_user("alerts", roles=["oncall"])


def signed(body: dict, at: int = NOW, delivery: str | None = None, key: str = KEY) -> dict:
    """Keyword arguments for client.post.

    The raw body and the signature headers over `<at>.<body>`.
    """
    raw = json.dumps(body).encode()
    digest = hmac.new(key.encode(), str(at).encode() + b"." + raw, hashlib.sha256).hexdigest()
    headers = {
        "X-CrisisDesk-Signature": f"sha256={digest}",
        "X-CrisisDesk-Timestamp": str(at),
        "Content-Type": "application/json",
    }
    if delivery is not None:
        headers["X-CrisisDesk-Delivery"] = delivery
    return {"data": raw, "headers": headers}


def incidents_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Incident))


def close(incident_id: int, actor) -> None:
    incidents.update_incident(incident_id, actor=actor, status="monitoring")
    incidents.update_incident(incident_id, actor=actor, status="resolved")
    review.update_postmortem(incident_id, actor=actor, summary="Handled within the hour.")
    incidents.update_incident(incident_id, actor=actor, status="closed")


def test_signed_alert_with_a_fresh_timestamp_opens_an_incident(client, signing):
    response = client.post("/api/v1/alerts", **signed(ALERT))
    assert response.status_code == 201, response.json
    assert response.json["opened_by"] == "alerts"
    assert response.json["alert"] == {"action": "opened", "previous_incident": None}


def test_body_signed_without_timestamp_is_stale(client, signing):
    raw = json.dumps(ALERT).encode()
    old_style = "sha256=" + hmac.new(KEY.encode(), raw, hashlib.sha256).hexdigest()
    response = client.post(
        "/api/v1/alerts",
        data=raw,
        headers={"X-CrisisDesk-Signature": old_style, "Content-Type": "application/json"},
    )
    assert response.status_code == 401 and response.json["error"]["code"] == "stale_signature"
    assert incidents_count() == 0


@pytest.mark.parametrize("at", [NOW - 301, NOW + 301, NOW - 86400, 0])
def test_timestamp_outside_the_window_is_stale(client, signing, at):
    response = client.post("/api/v1/alerts", **signed(ALERT, at=at))
    assert response.status_code == 401 and response.json["error"]["code"] == "stale_signature"
    assert incidents_count() == 0


@pytest.mark.parametrize("stamp", ["", "abc", "-5", "1.5", " ", "99999999999999999999", "12e3"])
def test_malformed_timestamp_is_stale(client, signing, stamp):
    kwargs = signed(ALERT)
    kwargs["headers"]["X-CrisisDesk-Timestamp"] = stamp
    response = client.post("/api/v1/alerts", **kwargs)
    assert response.status_code == 401 and response.json["error"]["code"] == "stale_signature"


@pytest.mark.parametrize("at", [NOW - 300, NOW + 300])
def test_timestamp_at_the_edge_of_the_window_is_accepted(client, signing, at):
    assert client.post("/api/v1/alerts", **signed(ALERT, at=at)).status_code == 201


def test_signature_over_another_timestamp_is_refused(client, signing):
    kwargs = signed(ALERT, at=NOW - 10)
    kwargs["headers"]["X-CrisisDesk-Timestamp"] = str(NOW)
    response = client.post("/api/v1/alerts", **kwargs)
    assert response.status_code == 401 and response.json["error"]["reason"] == "bad_signature"


def test_replay_is_refused_even_after_the_incident_closed(client, signing, clock):
    request = signed(ALERT)
    first = client.post("/api/v1/alerts", **request)
    assert first.status_code == 201
    again = client.post("/api/v1/alerts", **request)
    assert again.status_code == 401 and again.json["error"]["code"] == "replayed"
    close(first.json["id"], signing)
    clock.advance(seconds=200)  # still inside the window of the captured timestamp
    replay = client.post("/api/v1/alerts", **request)
    assert replay.status_code == 401 and replay.json["error"]["code"] == "replayed"
    assert incidents_count() == 1
    clock.advance(seconds=101)  # now the captured timestamp is too old
    late = client.post("/api/v1/alerts", **request)
    assert late.status_code == 401 and late.json["error"]["code"] == "stale_signature"
    assert incidents_count() == 1


def test_a_delivery_id_seen_within_the_window_is_replayed(client, signing, clock):
    assert client.post("/api/v1/alerts", **signed(ALERT, delivery="d-1")).status_code == 201
    clock.advance(seconds=30)
    resent = client.post("/api/v1/alerts", **signed(ALERT, at=NOW + 30, delivery="d-1"))
    assert resent.status_code == 401 and resent.json["error"]["code"] == "replayed"
    other = client.post("/api/v1/alerts", **signed(ALERT, at=NOW + 30, delivery="d-2"))
    assert other.status_code == 200 and other.json["alert"]["action"] == "attached"
    clock.advance(seconds=301)
    later = client.post("/api/v1/alerts", **signed(ALERT, at=NOW + 331, delivery="d-1"))
    assert later.status_code == 200  # the window passed: the id is forgotten


def test_receipts_are_pruned_as_alerts_arrive(client, signing, clock):
    for number in range(3):
        client.post(
            "/api/v1/alerts",
            **signed({**ALERT, "title": f"Outage {number}"}, delivery=f"d-{number}"),
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AlertReceipt)) == 6
    clock.advance(seconds=301)
    assert client.post("/api/v1/alerts", **signed(ALERT, at=NOW + 301)).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AlertReceipt)) == 1


def test_a_refused_alert_records_nothing(client, signing):
    bad = signed({**ALERT, "severity": 9})
    assert client.post("/api/v1/alerts", **bad).status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AlertReceipt)) == 0


@pytest.mark.parametrize("authorization", ["Bearer whatever", "Basic YWxlcnRzOng=", ""])
def test_token_and_signature_together_are_refused(client, signing, token_for, authorization):
    kwargs = signed(ALERT)
    kwargs["headers"]["Authorization"] = authorization or token_for(signing)["Authorization"]
    response = client.post("/api/v1/alerts", **kwargs)
    assert response.status_code == 401 and response.json["error"]["code"] == "mixed_authentication"
    assert incidents_count() == 0


def test_two_identical_signed_alerts_at_once_one_wins(app, signing):
    request = signed(ALERT)

    def send(_index):
        return app.test_client().post("/api/v1/alerts", **request)

    results, errors = run_together(app, 4, send)
    assert errors == []
    statuses = sorted(response.status_code for response in results)
    assert statuses == [201, 401, 401, 401]
    assert all(r.json["error"]["code"] == "replayed" for r in results if r.status_code == 401)
    assert incidents_count() == 1


def test_repeated_alert_attaches_reopens_and_follows_a_closed_incident(
    client, make_user, token_for
):
    olga = make_user("olga", roles=["oncall"])
    headers = token_for(olga)
    first = client.post("/api/v1/alerts", headers=headers, json=ALERT)
    assert first.status_code == 201 and first.json["follows"] is None
    incident_id = first.json["id"]
    attached = client.post(
        "/api/v1/alerts", headers=headers, json={**ALERT, "source_url": "https://status.example/2"}
    )
    assert attached.status_code == 200 and attached.json["alert"] == {
        "action": "attached",
        "previous_incident": None,
    }

    incidents.update_incident(incident_id, actor=olga, status="monitoring")
    incidents.update_incident(incident_id, actor=olga, status="resolved")
    reopened = client.post(
        "/api/v1/alerts", headers=headers, json={**ALERT, "source_url": "https://status.example/3"}
    )
    assert reopened.status_code == 200 and reopened.json["id"] == incident_id
    assert reopened.json["alert"] == {"action": "reopened", "previous_incident": None}
    assert (
        reopened.json["status"] == "open"
        and "https://status.example/3" in reopened.json["source_links"]
    )
    db.session.rollback()
    change = db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.kind == "status_changed")
        .order_by(TimelineEvent.seq.desc())
    ).first()
    assert (
        json.loads(change.data)["before"] == "resolved"
        and json.loads(change.data)["after"] == "open"
    )
    assert change.actor_name == "olga" and change.incident_id == incident_id

    close(incident_id, olga)
    after = client.post("/api/v1/alerts", headers=headers, json=ALERT)
    assert after.status_code == 201 and after.json["id"] != incident_id
    assert after.json["alert"] == {
        "action": "opened_after_closed",
        "previous_incident": incident_id,
    }
    assert after.json["follows"] == incident_id
    db.session.rollback()
    opened = db.session.scalar(
        select(TimelineEvent).where(
            TimelineEvent.kind == "incident_opened", TimelineEvent.incident_id == after.json["id"]
        )
    )
    assert json.loads(opened.data)["follows"] == incident_id
    assert db.session.get(Incident, incident_id).status == "closed"

    next_one = client.post("/api/v1/alerts", headers=headers, json=ALERT)
    assert next_one.status_code == 200 and next_one.json["id"] == after.json["id"]
    assert next_one.json["alert"]["action"] == "attached"
    fetched = client.get(f"/api/v1/incidents/{after.json['id']}", headers=headers)
    assert fetched.json["follows"] == incident_id


def test_openapi_documents_the_alert_answer_and_refusals(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/alerts"]["post"]
    for word in ("stale_signature", "replayed", "mixed_authentication", "X-CrisisDesk-Timestamp"):
        assert word in operation["description"]
    assert {p["name"] for p in operation["parameters"]} == {
        "X-CrisisDesk-Timestamp",
        "X-CrisisDesk-Delivery",
    }
    answer = spec["components"]["schemas"]["AlertIncident"]["allOf"][1]["properties"]["alert"]
    assert answer["properties"]["action"]["enum"] == [
        "opened",
        "attached",
        "reopened",
        "opened_after_closed",
    ]
    assert "follows" in spec["components"]["schemas"]["Incident"]["properties"]
