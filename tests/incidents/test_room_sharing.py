"""The room is rendered once for everyone reading it, yet each session gets its own tokens and current times."""

import re

import pytest
from jinja2 import ChoiceLoader, DictLoader

from crisisdesk.incidents import service as incidents
from crisisdesk.shared_parts import render_shared

from ..conftest import PASSWORD, csrf_token_from

PLAYBOOK = "phishing-wave-en"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _signed_in(app, username):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").data)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def _room(client, incident_id, query="", tokens=False):
    """The room page; the CSRF tokens blanked unless asked for (they carry the second they were signed)."""
    response = client.get(f"/incidents/{incident_id}{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html if tokens else TOKEN.sub('name="csrf_token" value=""', html)


def test_every_session_gets_its_own_token_in_every_form_of_the_shared_room(csrf_app, make_user):
    olga, _oskar = make_user("olga", language="en"), make_user("oskar", language="en")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    olga_client, oskar_client = _signed_in(csrf_app, "olga"), _signed_in(csrf_app, "oskar")
    olga_page, oskar_page = (
        _room(olga_client, incident.id, tokens=True),
        _room(oskar_client, incident.id, tokens=True),
    )
    assert "csrf-hole-" not in olga_page + oskar_page
    olga_tokens, oskar_tokens = set(TOKEN.findall(olga_page)), set(TOKEN.findall(oskar_page))
    assert len(TOKEN.findall(oskar_page)) >= 10  # the room's forms and the page's own
    assert len(olga_tokens) == len(oskar_tokens) == 1 and olga_tokens != oskar_tokens
    # Oskar's page came from memory; a form on it works with his session and not with Olga's.
    note = f"/incidents/{incident.id}/notes"
    refused = oskar_client.post(note, data={"text": "wrong token", "csrf_token": olga_tokens.pop()})
    assert refused.status_code == 400
    accepted = oskar_client.post(
        note, data={"text": "Hotline staffed", "csrf_token": oskar_tokens.pop()}
    )
    assert accepted.status_code == 302
    assert "Hotline staffed" in _room(
        olga_client, incident.id
    )  # the note moved the head: rendered anew


def test_the_shared_room_shows_each_change_and_the_cache_changes_nothing(app, client, make_user):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    first = _room(client, incident.id)
    assert _room(client, incident.id) == first
    incidents.update_incident(incident.id, actor=olga, title="Outage, spreading")
    incidents.add_note(incident.id, "Status page updated", actor=olga)
    changed = _room(client, incident.id)
    assert "Outage, spreading" in changed and "Status page updated" in changed
    older = _room(client, incident.id, "?before=3")
    app.extensions["crisisdesk.readcache"].size = 0
    assert _room(client, incident.id) == changed
    assert _room(client, incident.id, "?before=3") == older


def test_the_clock_alone_brings_countdowns_and_overdue_badges(client, make_user, clock):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    incident = incidents.open_incident(actor=olga, title="Outage", severity=2, playbook=PLAYBOOK)
    dues = sorted(step.due_at for step in incident.steps)
    assert len(dues) >= 2 and dues[-1] > dues[0]
    before = _room(client, incident.id)
    assert _room(client, incident.id) == before
    assert "open for 0 seconds" in before
    clock.advance(minutes=2)  # no event: only the clock moved
    moved = _room(client, incident.id)
    assert "open for 2 minutes" in moved
    assert _overdue(moved) == sum(due <= clock.now() for due in dues) < len(dues)
    clock.freeze(dues[-1])
    assert _overdue(_room(client, incident.id)) == len(dues)


def _overdue(html):
    return html.count(" step-overdue ")


def test_the_shared_room_follows_language_and_zone(client, make_user):
    from crisisdesk.accounts import service as accounts

    olga = make_user("olga", language="en", timezone="Europe/Berlin")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    english = _room(client, incident.id)
    assert "Escalation" in english
    accounts.update_preferences(actor=olga, language="de", timezone="America/New_York")
    german = _room(client, incident.id)
    assert "Eskalation" in german and "Escalation" not in german
    assert _event_times(german) != _event_times(english)  # the same moments in another zone


def _event_times(html):
    return re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", html)


def test_a_part_that_reaches_for_the_session_token_is_not_shared(app):
    app.jinja_env.loader = ChoiceLoader(
        [
            DictLoader(
                {
                    "leaky.html": '{% from "macros.html" import csrf_field %}'
                    "<form>{{ csrf_field() }}</form>"
                }
            ),
            app.jinja_env.loader,
        ]
    )
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="CSRF token"):
            render_shared("leaky.html")
