"""The post-mortem page: course, metrics and story shared by every reader.

The editing part stays each reader's.
"""

import re

from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.review import service

from ..conftest import login, without_waiting_count

TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def _page(client, incident_id, query=""):
    response = client.get(f"/incidents/{incident_id}/postmortem{query}")
    assert response.status_code == 200
    # a token carries the second it was signed
    return without_waiting_count(TOKEN.sub("", response.get_data(as_text=True)))


def test_each_reader_sees_the_shared_story_with_their_own_editing_part(app, make_user, clock):
    olga, max_ = make_user("olga", roles=["oncall"]), make_user("max", roles=["management"])
    make_user("lena", roles=["legal"])
    incident = incidents.open_incident(
        actor=olga, title="Fee storm", severity=2, playbook="fee-dispute-en"
    )
    service.update_postmortem(incident.id, actor=max_, summary="Hotline was late")
    manager, lawyer = app.test_client(), app.test_client()
    login(manager, "max"), login(lawyer, "lena")
    as_manager, as_lawyer = _page(manager, incident.id), _page(lawyer, incident.id)
    assert (
        "Save post-mortem" in as_manager and "Save post-mortem" not in as_lawyer
    )  # lena may read, not edit
    assert "Hotline was late" in as_lawyer
    story = re.compile(r'<ol class="list-group">.*?</ol>', re.S)
    assert story.search(as_manager).group(0) == story.search(as_lawyer).group(0)
    entries.add_note(incident.id, "Press asked for a statement", actor=olga)
    assert "Press asked for a statement" in _page(lawyer, incident.id)


def test_an_open_incident_s_durations_run_in_the_browser_not_in_the_kept_page(
    app, client, make_user, clock
):
    olga = make_user("olga", roles=["oncall"], language="en")
    incident = incidents.open_incident(
        actor=olga, title="Fee storm", severity=2, playbook="fee-dispute-en"
    )
    login(client, "olga")
    first = _page(client, incident.id)
    total = first.split("Total duration")[1][:300]
    opened = incident.opened_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'data-since="{opened}"' in total and "since <time" in total  # the script counts
    assert "js/desk.js" in first
    clock.advance(minutes=60)  # no event: the kept page still says the same, and rightly
    assert _page(client, incident.id) == first
    incidents.update_incident(incident.id, actor=olga, status="monitoring")
    later = _page(client, incident.id)
    status_row = later.split("Time per status")[1].split("</tr>")[0]
    # an hour open, then monitoring since the change: what ran is counted, what runs is counted
    # by the browser
    assert "open: 60 minutes" in status_row and 'monitoring: <span class="elapsed"' in status_row


def test_the_same_post_mortem_pages_with_the_cache_off(app, client, make_user, clock):
    olga = make_user("olga", roles=["oncall"])
    incident = incidents.open_incident(
        actor=olga, title="Fee storm", severity=2, playbook="fee-dispute-en"
    )
    for number in range(3):
        entries.add_note(incident.id, f"note {number}", actor=olga)
    login(client, "olga")
    queries = ["", "?show=escalations", "?person=olga", "?after=2"]
    kept = [_page(client, incident.id, query) for query in queries]
    app.extensions["crisisdesk.readcache"].size = 0
    assert [_page(client, incident.id, query) for query in queries] == kept


def test_a_refused_save_shows_the_editor_their_own_input_and_no_one_else(app, make_user, clock):
    olga, max_ = (
        make_user("olga", roles=["oncall"]),
        make_user("max", roles=["management"], language="en"),
    )
    make_user("mia", roles=["management"], language="en")
    incident = incidents.open_incident(
        actor=olga, title="Fee storm", severity=2, playbook="fee-dispute-en"
    )
    editor, colleague = app.test_client(), app.test_client()
    login(editor, "max"), login(colleague, "mia")
    _page(colleague, incident.id)  # the shared column is kept now
    refused = editor.post(
        f"/incidents/{incident.id}/postmortem",
        data={"summary": "Draft by Max", "actions": "Check the roster | Max | next week | open"},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Draft by Max" in page and "due must be a date" in page
    assert "Draft by Max" not in _page(colleague, incident.id)
    service.update_postmortem(incident.id, actor=max_, summary="Roster was thin at night")
    assert "Roster was thin at night" in _page(colleague, incident.id)
