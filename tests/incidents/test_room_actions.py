"""The room's buttons: the services decide who may press them; fetch() gets JSON in one shape."""

import pytest

from crisisdesk.incidents import permissions, roles

from ..conftest import login

JSON = {"Accept": "application/json"}
#: every button of the room: (path after /incidents/<id>, a form that would do something)
BUTTONS = [
    ("/checklist/pause-marketing", {"done": "1"}),
    ("/status", {"status": "monitoring"}),
    ("/severity", {"severity": "3"}),
    ("/lead", {"reason": ""}),
    ("/notes", {"text": "A note"}),
    ("/links", {"url": "https://x.com/p/1"}),
]


@pytest.fixture
def room(client, open_one, make_user):
    """An incident led by olga; `as_user(name, roles)` signs a fresh client in."""
    incident = open_one(severity=2)

    def as_user(name, user_roles):
        make_user(name, roles=user_roles)
        login(client, name)
        return client

    return incident, as_user


def test_fetch_gets_a_message_on_success(room):
    incident, as_user = room
    client = as_user("otto", ["oncall"])
    reply = client.post(
        f"/incidents/{incident.id}/checklist/pause-marketing", data={"done": "1"}, headers=JSON
    )
    assert reply.status_code == 200 and reply.json == {"message": "Ticked."}


@pytest.mark.parametrize(
    "path,form,status,code,field,reason",
    [
        ("/status", {"status": "closed"}, 409, "conflict", "status", "bad_transition"),
        ("/notes", {"text": "  "}, 422, "invalid", "text", "empty"),
        ("/links", {"url": "javascript:alert(1)"}, 422, "invalid", "url", "bad_url"),
        ("/checklist/nope", {"done": "1"}, 404, "not_found", None, "unknown_item"),
        ("/severity", {"severity": "9"}, 422, "invalid", "severity", "bad_severity"),
    ],
)
def test_fetch_gets_the_api_error_envelope_on_failure(
    room, path, form, status, code, field, reason
):
    incident, as_user = room
    client = as_user("otto", ["oncall"])
    reply = client.post(f"/incidents/{incident.id}{path}", data=form, headers=JSON)
    assert reply.status_code == status
    error = reply.json["error"]
    assert (error["code"], error.get("field"), error.get("reason")) == (code, field, reason)
    assert error["message"]


@pytest.mark.parametrize("path,form", BUTTONS)
def test_a_reader_without_a_role_here_is_refused_by_the_service_whatever_they_send(
    room, path, form
):
    incident, as_user = room
    client = as_user("max", ["management"])
    for data in (form, {}):  # a valid form, and an empty one: refused before it is read
        reply = client.post(f"/incidents/{incident.id}{path}", data=data, headers=JSON)
        assert reply.status_code == 403 and reply.json["error"]["code"] == "forbidden"
        page = client.post(f"/incidents/{incident.id}{path}", data=data)
        assert page.status_code == 403 and "text/html" in page.content_type


def test_the_permission_is_checked_once_in_the_service(room, monkeypatch, olga):
    incident, as_user = room
    client = as_user("max", ["management"])
    roles.assign_role(incident.id, "management_sponsor", "max", actor=olga)
    calls = []
    real = permissions.holds_incident_role

    def counted(actor, incident):
        calls.append(actor.username)
        return real(actor, incident)

    monkeypatch.setattr(permissions, "holds_incident_role", counted)
    reply = client.post(f"/incidents/{incident.id}/notes", data={"text": "Board informed."})
    assert reply.status_code == 302
    assert calls == ["max"]


def test_a_form_post_is_answered_with_a_redirect_and_a_flashed_message(room):
    incident, as_user = room
    client = as_user("otto", ["oncall"])
    reply = client.post(f"/incidents/{incident.id}/notes", data={"text": ""})
    assert reply.status_code == 302 and reply.headers["Location"].endswith("#timeline")
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Please write something." in page


def test_other_pages_answer_json_errors_when_asked_for_json(room):
    _incident, as_user = room
    client = as_user("otto", ["oncall"])
    reply = client.get("/incidents/999", headers=JSON)
    assert reply.status_code == 404 and reply.json["error"]["code"] == "not_found"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/incidents/999", headers={"Accept": browser})
    assert page.status_code == 404 and "text/html" in page.content_type
