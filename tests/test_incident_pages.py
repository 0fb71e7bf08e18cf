"""The board, the open form and the incident room as HTML.

The browser test drives the JavaScript.
"""

import re

import pytest
from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import escalation, service
from crisisdesk.incidents.models import Incident

from .conftest import login


@pytest.fixture
def olga(make_user, client):
    user = make_user("olga", roles=["oncall"])
    login(client, "olga")
    return user


def open_one(actor, title="Phishing wave", severity=2, playbook="phishing-wave-en"):
    return service.open_incident(actor=actor, title=title, severity=severity, playbook=playbook)


def test_board_orders_live_incidents_by_severity_and_shows_overdue(client, olga, clock):
    low = open_one(olga, "Low one", severity=4)
    high = open_one(olga, "High one", severity=1)
    clock.advance(minutes=20)
    escalation.claim_due_steps()  # the worker marks what fell due: overdue is what it notified
    page = client.get("/").get_data(as_text=True)
    assert page.index("High one") < page.index("Low one")
    assert "steps overdue" in page or "step overdue" in page
    page = client.get("/?severity=4").get_data(as_text=True)
    assert "Low one" in page and "High one" not in page
    assert high.ref in client.get(f"/?q={high.ref}").get_data(as_text=True)
    assert low.ref not in client.get(f"/?q={high.ref}").get_data(as_text=True)


def test_board_pages_through_many_incidents(client, olga):
    for number in range(30):
        open_one(olga, f"Incident {number:02d}")
    first = client.get("/").get_data(as_text=True)
    assert len(re.findall(r'href="/incidents/\d+"', first)) == 25
    after = first.split("after=")[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/?after={after}").get_data(as_text=True)
    assert len(re.findall(r'href="/incidents/\d+"', second)) == 5


def test_open_form_opens_and_redirects_to_the_room(client, olga):
    response = client.post(
        "/incidents/new",
        data={
            "title": "ATM blasted in Musterstadt",
            "summary": "Police on site",
            "severity": "1",
            "playbook": "atm-blasting-de",
            "channels": ["facebook", "x"],
            "source_links": "https://example.org/post/1\nhttps://example.org/post/2",
            "detected_at": "2026-11-29T09:30",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/incidents/")
    incident = db.session.scalar(select(Incident))
    assert incident.detected_at.isoformat() == "2026-11-29T08:30:00+00:00"  # Berlin → UTC
    room = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ATM blasted in Musterstadt" in room and "https://example.org/post/2" in room


@pytest.mark.parametrize(
    "change,message",
    [
        ({"title": ""}, "This field is required."),
        ({"playbook": "nope"}, "There is no playbook nope."),
        ({"source_links": "javascript:alert(1)"}, "Give an http(s) address."),
        ({"detected_at": "2099-01-01T00:00"}, "This time lies in the future."),
        ({"detected_at": "yesterday"}, "Give a date and time."),
    ],
)
def test_open_form_errors_keep_the_input(client, olga, change, message):
    data = {
        "title": "Fee storm",
        "summary": "Angry posts about fees",
        "severity": "3",
        "playbook": "fee-dispute-en",
        **change,
    }
    response = client.post("/incidents/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 404, 422) and message in page
    assert "Angry posts about fees" in page
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


def test_legal_and_management_cannot_open(client, make_user):
    make_user("max", roles=["management"])
    login(client, "max")
    assert client.get("/incidents/new").status_code == 403
    assert client.get("/").status_code == 200


def test_room_actions_round_trip(client, olga, clock):
    incident = open_one(olga, severity=1)
    step = incident.steps[0]
    assert client.post(f"/incidents/{incident.id}/steps/{step.id}/ack").status_code == 302
    again = client.post(f"/incidents/{incident.id}/steps/{step.id}/ack", follow_redirects=True)
    assert "already acknowledged" in again.get_data(as_text=True)
    client.post(f"/incidents/{incident.id}/checklist/pause-marketing", data={"done": "1"})
    client.post(f"/incidents/{incident.id}/notes", data={"text": "<b>Bold</b> claim"})
    bad = client.post(
        f"/incidents/{incident.id}/status", data={"status": "closed"}, follow_redirects=True
    )
    assert "cannot go from open to closed" in bad.get_data(as_text=True)
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in room and "<b>Bold</b>" not in room
    fragment = client.get(f"/incidents/{incident.id}/events?after=1")
    assert fragment.headers["X-Last-Seq"].isdigit() and "event-note_added" in fragment.get_data(
        as_text=True
    )


def test_checklist_answers_json_to_fetch(client, olga):
    incident = open_one(olga)
    response = client.post(
        f"/incidents/{incident.id}/checklist/pause-marketing",
        data={"done": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json == {"message": "Ticked."}
    response = client.post(
        f"/incidents/{incident.id}/checklist/nope",
        data={"done": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_suggestions_come_from_triggers(client, olga):
    items = client.get("/incidents/suggest?text=Phishing+SMS+mit+Link+zur+TAN-Eingabe").json
    assert items and items[0]["slug"].startswith("phishing-wave")


def test_unknown_room_is_404(client, olga):
    assert client.get("/incidents/999").status_code == 404


def test_room_queries_do_not_grow_with_responses(client, olga, app):
    from sqlalchemy import event as sa_event

    from crisisdesk.responses import service as responses

    incident = open_one(olga)
    app.extensions["crisisdesk.readcache"].size = 0  # count the rendering, not what is kept
    counts = []
    for total in (1, 8):
        while len(responses_of(incident.id)) < total:
            responses.draft_response(
                incident.id, actor=olga, channel="facebook", body=f"Text {total}"
            )
        statements = []
        listener = lambda *args, statements=statements: statements.append(1)  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        client.get(f"/incidents/{incident.id}")
        sa_event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def responses_of(incident_id):
    from crisisdesk.responses.queries import for_incident

    db.session.rollback()
    return for_incident(incident_id)
