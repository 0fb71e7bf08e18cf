"""Reading incidents through the API: one incident's
timeline and the incident list, with their cursors.
"""

import base64
import json

import pytest

from crisisdesk.extensions import db
from crisisdesk.incidents import entries, service

from .conftest import API, events


def cursor_of(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.fixture
def headers(olga, token_for):
    return token_for(olga)


@pytest.fixture
def busy(open_one, olga, clock):
    """An incident with six events, and a second incident with events of its own in between."""
    # opened as an alert opens them: one opening event each, no lead step taken on
    incident = open_one(title="Phishing wave", by_alert=True)
    other = open_one(title="Branch closed", by_alert=True)
    for number in range(3):
        clock.advance(minutes=1)
        entries.add_note(incident.id, f"note {number}", actor=olga)
        entries.add_note(other.id, f"other {number}", actor=olga)
    service.update_incident(incident.id, actor=olga, status="monitoring")
    service.update_incident(incident.id, actor=olga, severity=2)
    return incident.id, other.id


def timeline(client, incident_id, headers, query=""):
    return client.get(f"{API}/{incident_id}/timeline{query}", headers=headers)


def walk(client, url, headers) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        response = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers)
        assert response.status_code == 200
        items += response.json["items"]
        cursor, pages = response.json["next_cursor"], pages + 1
        assert pages < 50
        if cursor is None:
            return items


def test_timeline_is_oldest_first_with_its_fields(client, busy, headers):
    incident_id, _other = busy
    response = timeline(client, incident_id, headers)
    assert response.status_code == 200 and response.json["next_cursor"] is None
    items = response.json["items"]
    assert [item["kind"] for item in items] == [
        "incident_opened",
        "note_added",
        "note_added",
        "note_added",
        "status_changed",
        "severity_changed",
    ]
    assert [item["seq"] for item in items] == sorted(item["seq"] for item in items)
    stored = events(incident_id)
    assert [(i["seq"], i["hash"]) for i in items] == [(e.seq, e.hash) for e in stored]
    note = items[1]
    assert (note["at"], note["actor"], note["data"]) == (
        "2026-11-29T09:01:00Z",
        "olga",
        {"text": "note 0"},
    )


def test_timeline_pages_walk_every_event_once(client, busy, headers):
    incident_id, _other = busy
    items = walk(client, f"{API}/{incident_id}/timeline?limit=2", headers)
    assert [item["seq"] for item in items] == [event.seq for event in events(incident_id)]
    assert len(items) == 6


def test_after_returns_only_later_events(client, busy, headers):
    incident_id, _other = busy
    seqs = [event.seq for event in events(incident_id)]
    response = timeline(client, incident_id, headers, f"?after={seqs[2]}")
    assert [item["seq"] for item in response.json["items"]] == seqs[3:]
    assert timeline(client, incident_id, headers, f"?after={seqs[-1]}").json["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        "?cursor=garbage!",
        f"?cursor={cursor_of([1, 2])}",
        f"?cursor={cursor_of(['x'])}",
        "?after=-1",
        "?after=abc",
        "?limit=0",
        "?limit=201",
    ],
)
def test_bad_timeline_parameters_are_422(client, busy, headers, query):
    response = timeline(client, busy[0], headers, query)
    assert response.status_code == 422


@pytest.mark.parametrize("query", ["?after=²", "?limit=²", f"?cursor={cursor_of(['²'])}"])
def test_superscript_digits_in_timeline_parameters_are_422_not_500(client, busy, headers, query):
    assert timeline(client, busy[0], headers, query).status_code == 422


def test_other_incidents_events_never_appear(client, busy, headers):
    incident_id, other_id = busy
    items = walk(client, f"{API}/{incident_id}/timeline?limit=1", headers)
    assert {item["incident_id"] for item in items} == {incident_id}
    other = timeline(client, other_id, headers).json["items"]
    assert [item["data"] for item in other[1:]] == [{"text": f"other {n}"} for n in range(3)]


def test_timeline_of_unknown_incident_is_404(client, olga, headers):
    assert timeline(client, 9999, headers).status_code == 404


@pytest.fixture
def listed(open_one, olga, clock):
    """Four incidents opened a minute apart: refs 0001 … 0004."""
    made = []
    for title, severity, summary in [
        ("Phishing wave", 1, ""),
        ("Branch closed", 3, "Flooding in Musterstadt"),
        ("ATM blasted", 2, ""),
        ("Fee complaints", 3, ""),
    ]:
        made.append(open_one(title=title, severity=severity, summary=summary).id)
        clock.advance(minutes=1)
    service.update_incident(made[3], actor=olga, status="monitoring")
    return made


def refs(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["ref"] for item in response.json["items"]]


def test_list_is_newest_first(client, listed, headers):
    response = client.get(API, headers=headers)
    assert refs(response) == ["CD-2026-0004", "CD-2026-0003", "CD-2026-0002", "CD-2026-0001"]
    first = response.json["items"][0]
    assert (first["title"], first["status"], first["opened_at"]) == (
        "Fee complaints",
        "monitoring",
        "2026-11-29T09:03:00Z",
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=monitoring", ["CD-2026-0004"]),
        ("status=open&severity=3", ["CD-2026-0002"]),
        ("severity=3", ["CD-2026-0004", "CD-2026-0002"]),
        ("q=atm", ["CD-2026-0003"]),
        ("q=musterstadt", ["CD-2026-0002"]),
        ("q=2026-0001", ["CD-2026-0001"]),
        ("q=%25", []),  # a literal "%", not a wildcard
        ("q=_", []),
    ],
)
def test_list_filters(client, listed, headers, query, expected):
    assert refs(client.get(f"{API}?{query}", headers=headers)) == expected


def test_list_pages_with_the_cursor(client, listed, headers, clock, open_one):
    open_one(title="Same minute")  # these two share opened_at 09:04: the id breaks the tie
    open_one(title="Same minute too")
    items = walk(client, f"{API}?limit=2", headers)
    assert [item["ref"] for item in items] == [f"CD-2026-{n:04d}" for n in range(6, 0, -1)]


@pytest.mark.parametrize(
    "query",
    [
        "severity=0",
        "severity=high",
        "severity=1,2",
        "status=done",
        "cursor=nope",
        f"cursor={cursor_of(['not a time', 1])}",
        "limit=500",
    ],
)
def test_bad_list_parameters_are_422(client, listed, headers, query):
    assert client.get(f"{API}?{query}", headers=headers).status_code == 422


def test_list_cursor_without_offset_is_422_not_500(client, listed, headers):
    query = f"cursor={cursor_of(['2026-11-29T09:02:00', 3])}"
    assert client.get(f"{API}?{query}", headers=headers).status_code == 422


def test_list_needs_a_token(client, listed):
    db.session.rollback()
    assert client.get(API).status_code == 401
