"""The dashboard page: one rendering shared by every manager.

It is never behind the desk, the clock or the audit.
"""

import re
from datetime import timedelta

from crisisdesk.audit import runs
from crisisdesk.incidents import escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.review import service as review

from ..conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')
WAITING = re.compile(r'\n *<a class="[^"]*waiting-count[^"]*"[^>]*>[^<]*</a>')


def _dashboard(client, query=""):
    response = client.get(f"/dashboard{query}")
    assert response.status_code == 200
    # a token carries the second it was signed; the bar's "waiting for you" count is the reader's
    # own and moves with the clock, outside the kept dashboard
    return WAITING.sub("", TOKEN.sub("", response.get_data(as_text=True)))


def _signed_in_manager(client, make_user):
    manager = make_user("max", roles=["management"], language="en")
    assert client.post("/login", data={"username": "max", "password": PASSWORD}).status_code == 302
    return manager


def test_the_dashboard_shows_each_change_and_each_audit_at_once(client, make_user, clock):
    manager = _signed_in_manager(client, make_user)
    olga = make_user("olga")
    assert "No live incidents." in _dashboard(client)
    incident = incidents.open_incident(
        actor=olga, title="Card outage", severity=1, playbook="phishing-wave-en"
    )
    assert "Card outage" in _dashboard(client)
    review.update_postmortem(
        incident.id,
        actor=manager,
        actions=[
            {
                "text": "Rotate the hotline roster",
                "owner": "Max",
                "due": (clock.now() + timedelta(days=2)).date().isoformat(),
            }
        ],
    )
    page = _dashboard(client)
    assert "Rotate the hotline roster" in page and "Not verified yet." in page
    runs.verify_and_record(actor=manager)  # kept off the timeline: the page must not keep it
    assert "chain intact" in _dashboard(client)


def test_notified_steps_and_the_day_bring_overdue_steps_and_actions(client, make_user, clock):
    # the session outlasts the two days below
    client.application.config["PERMANENT_SESSION_LIFETIME"] = 3 * 24 * 3600
    manager = _signed_in_manager(client, make_user)
    incident = incidents.open_incident(
        actor=make_user("olga"), title="Card outage", severity=2, playbook="phishing-wave-en"
    )
    review.update_postmortem(
        incident.id,
        actor=manager,
        actions=[
            {
                "text": "Rotate the hotline roster",
                "due": (clock.now() + timedelta(days=1)).date().isoformat(),
            }
        ],
    )
    # the opener took on the minute-0 step at the opening; the others are left to fall due
    dues = sorted(step.due_at for step in incident.steps if step.status == "pending")
    first = _dashboard(client)
    assert _overdue_steps(first) == 0 and "(overdue)" not in first
    clock.freeze(dues[-1])  # every step is due, but only the worker says so
    assert _dashboard(client) == first
    escalation.claim_due_steps()
    assert _overdue_steps(_dashboard(client)) == len(dues)
    clock.advance(minutes=2 * 24 * 60)  # a new day is an input of the part: the action is overdue
    assert "(overdue)" in _dashboard(client)


def _overdue_steps(html):
    match = re.search(r"(\d+) steps? overdue", html)
    return int(match.group(1)) if match else 0


def test_the_same_dashboard_with_the_cache_off(app, client, make_user):
    _signed_in_manager(client, make_user)
    incidents.open_incident(
        actor=make_user("olga"), title="Card outage", severity=1, playbook="phishing-wave-en"
    )
    queries = ["", "?period=12m", "?playbook=phishing-wave-en"]
    kept = [_dashboard(client, query) for query in queries]
    app.extensions["crisisdesk.readcache"].size = 0
    assert [_dashboard(client, query) for query in queries] == kept
