"""The room is rendered once per audience, yet each session gets its own tokens.

Relative times are the browser's: nothing kept depends on the clock.
"""

import re
from datetime import timedelta

from crisisdesk.incidents import entries, escalation
from crisisdesk.incidents import service as incidents

from ..conftest import PASSWORD, signed_in_client, without_waiting_count

PLAYBOOK = "phishing-wave-en"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _room(client, incident_id, query="", tokens=False):
    """The room page; CSRF tokens blanked unless asked for (they carry the second of signing)."""
    response = client.get(f"/incidents/{incident_id}{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    html = without_waiting_count(html)
    return html if tokens else TOKEN.sub('name="csrf_token" value=""', html)


def test_every_session_gets_its_own_token_in_every_form_of_the_shared_room(csrf_app, make_user):
    olga, _oskar = make_user("olga", language="en"), make_user("oskar", language="en")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    olga_client, oskar_client = (
        signed_in_client(csrf_app, "olga"),
        signed_in_client(csrf_app, "oskar"),
    )
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
    entries.add_note(incident.id, "Status page updated", actor=olga)
    changed = _room(client, incident.id)
    assert "Outage, spreading" in changed and "Status page updated" in changed
    older = _room(client, incident.id, "?before=3")
    app.extensions["crisisdesk.readcache"].size = 0
    assert _room(client, incident.id) == changed
    assert _room(client, incident.id, "?before=3") == older


def test_the_clock_changes_nothing_kept_and_a_notified_step_is_overdue(
    app, client, make_user, clock
):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    incident = incidents.open_incident(actor=olga, title="Outage", severity=2, playbook=PLAYBOOK)
    # the step the opening fulfils is the opener's already; the others fall due in turn
    taken = [step for step in incident.steps if step.status == "acknowledged"]
    assert [step.after_minutes for step in taken] == [0]
    dues = sorted(step.due_at for step in incident.steps if step.status == "pending")
    assert len(dues) >= 2 and dues[-1] > dues[0] > incident.opened_at
    before = _room(client, incident.id)
    # absolute times the script turns into "open for …" and "in …"; no server-side relative text
    opened = incident.opened_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'data-since="{opened}" data-template="open for {{}}"' in before
    assert re.search(r'<time class="countdown" datetime="[^"]+Z" data-due="[^"]+Z">', before)
    assert "0 seconds" not in before and _overdue(before) == 0
    # pending: the script marks them by time (each step, and the next step on the first screen)
    assert before.count("data-overdue-at=") == len(dues) + 1
    # only the clock moved: the kept part is still right
    clock.freeze(dues[0] + timedelta(minutes=1))
    assert _room(client, incident.id) == before
    assert app.extensions["crisisdesk.readcache"].counts["part:room"] == [1, 1]
    escalation.claim_due_steps()  # the worker notifies what fell due: an event moves the head
    moved = _room(client, incident.id)
    assert _overdue(moved) == sum(due <= clock.now() for due in dues) < len(dues)
    clock.freeze(dues[-1])
    escalation.claim_due_steps()
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


def test_the_take_over_form_is_part_of_the_reader_s_audience(app, make_user):
    olga, _oskar = make_user("olga", language="en"), make_user("oskar", language="en")
    make_user("lena", roles=["legal"], language="en")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    form = f'action="/incidents/{incident.id}/lead"'
    pages = {}
    for name in ("oskar", "olga", "lena", "oskar"):  # oskar twice: the second from memory
        browser = signed_in_client(app, name)
        pages.setdefault(name, []).append(_room(browser, incident.id))
    assert form in pages["oskar"][0] and pages["oskar"][0] == pages["oskar"][1]
    assert form not in pages["olga"][0] and form not in pages["lena"][0]  # the lead; legal
    # who sees the incident is the lead's to decide: that form is in her audience alone
    keep = f'action="/incidents/{incident.id}/restriction"'
    assert keep in pages["olga"][0] and keep not in pages["lena"][0] + pages["oskar"][0]
    # three audiences, three renderings; oskar's second read from memory, signing in moved nothing
    assert app.extensions["crisisdesk.readcache"].counts["part:room"] == [1, 3]
