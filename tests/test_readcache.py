"""Remembered reads never outlive a change: each is kept under the heads of the scopes it reads."""

import re
import threading

import pytest
from sqlalchemy import func, select

from crisisdesk import readcache
from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import tokens
from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import Incident
from crisisdesk.timeline.models import TimelineEvent

from .conftest import PASSWORD

PLAYBOOK = "phishing-wave-en"
WAITING = re.compile(r'\n *<a class="[^"]*waiting-count[^"]*"[^>]*>[^<]*</a>')
WAITING_SECTION = re.compile(r'\n<section id="waiting".*?</section>\n', re.DOTALL)
# A form token is signed with the second it is issued: two reads a second apart differ in it alone.
CSRF_VALUE = re.compile(r'(name="csrf_token" value=")[^"]*"')


def _page(client, path):
    """A page as the reader gets it, its form tokens blanked."""
    response = client.get(path)
    assert response.status_code == 200
    return CSRF_VALUE.sub(r'\1"', response.get_data(as_text=True))


def _titles(client, headers, query=""):
    response = client.get(f"/api/v1/incidents{query}", headers=headers)
    assert response.status_code == 200
    return [item["title"] for item in response.json["items"]]


def _board(client):
    """The board page, without the bar's "waiting for you" link and the board's strip of it.

    Both are the reader's own and move with the clock (a step counts once due), outside the kept
    board.
    """
    return WAITING_SECTION.sub("", WAITING.sub("", _page(client, "/")))


def _counts(app, kind):
    """[hits, misses] of one kind of kept answer so far."""
    return list(app.extensions["crisisdesk.readcache"].counts.get(kind, [0, 0]))


def test_a_remembered_list_shows_a_change_at_once(client, make_user, token_for):
    olga = make_user("olga")
    headers = token_for(olga)
    incident = incidents.open_incident(actor=olga, title="First", severity=2, playbook=PLAYBOOK)
    assert _titles(client, headers) == ["First"]
    assert _titles(client, headers) == ["First"]  # now from memory
    incidents.open_incident(actor=olga, title="Second", severity=2, playbook=PLAYBOOK)
    assert _titles(client, headers) == ["Second", "First"]
    incidents.update_incident(incident.id, actor=olga, title="First, renamed")
    assert _titles(client, headers) == ["Second", "First, renamed"]
    assert _titles(client, headers, "?q=renamed") == ["First, renamed"]


def test_a_remembered_token_stops_working_the_moment_it_is_revoked(client, make_user):
    olga = make_user("olga")
    row, secret = tokens.create_token(olga, "phone")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/incidents", headers=headers).status_code == 200
    tokens.revoke_token(row.id, actor=olga)
    assert client.get("/api/v1/incidents", headers=headers).status_code == 401


def test_deactivation_and_lost_roles_apply_to_the_next_request(client, make_user, token_for):
    admin = make_user("ada", roles=["admin"])
    olga, lena = make_user("olga"), make_user("lena", roles=["legal"])
    olga_headers, lena_headers = token_for(olga), token_for(lena)
    assert client.get("/api/v1/incidents", headers=olga_headers).status_code == 200
    assert client.get("/api/v1/incidents", headers=lena_headers).status_code == 200
    accounts.set_active(olga.id, False, actor=admin)
    accounts.set_roles(lena.id, [], actor=admin)
    assert client.get("/api/v1/incidents", headers=olga_headers).status_code == 401
    assert client.get("/api/v1/incidents", headers=lena_headers).status_code == 403


def test_the_same_answers_with_the_cache_off(app, client, make_user, token_for):
    olga = make_user("olga")
    headers = token_for(olga)
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    entries.add_note(incident.id, "first", actor=olga)
    paths = [
        "/api/v1/incidents",
        "/api/v1/incidents?limit=1",
        f"/api/v1/incidents/{incident.id}/timeline?after=1",
    ]
    cached = [client.get(path, headers=headers).get_data() for path in paths]
    app.extensions["crisisdesk.readcache"].size = 0
    assert [client.get(path, headers=headers).get_data() for path in paths] == cached


def test_the_head_reader_reconnects_after_losing_its_connection(app, client, make_user, token_for):
    headers = token_for(make_user("olga"))
    assert client.get("/api/v1/incidents", headers=headers).status_code == 200
    for connection in app.extensions["crisisdesk.readcache.head"]._opened:
        connection.close()  # as if the database server had dropped it
    assert client.get("/api/v1/incidents", headers=headers).status_code == 200
    with app.test_request_context():
        assert readcache.heads(("people",))[0] >= 2  # user created, token created


def test_a_write_elsewhere_leaves_a_kept_room_kept(app, client, make_user):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    one = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    other = incidents.open_incident(actor=olga, title="Phishing", severity=2, playbook=PLAYBOOK)
    first = _page(client, f"/incidents/{one.id}")
    hits, misses = _counts(app, "part:room")
    entries.add_note(other.id, "Hotline staffed", actor=olga)  # another incident
    client.post("/login", data={"username": "olga", "password": "wrong"})  # a failed sign-in
    assert _page(client, f"/incidents/{one.id}") == first
    assert _counts(app, "part:room") == [hits + 1, misses]
    entries.add_note(one.id, "Press asked", actor=olga)  # this incident: rendered anew
    assert "Press asked" in client.get(f"/incidents/{one.id}").get_data(as_text=True)
    assert _counts(app, "part:room") == [hits + 1, misses + 1]


def test_the_board_follows_incidents_people_and_language_but_not_the_clock_or_sign_ins(
    app, client, make_user, clock
):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    first = _board(client)
    assert "Outage" in first and "Olga" not in first
    clock.advance(minutes=11 * 60)  # every step is due, nobody notified: the board says the same
    client.post("/login", data={"username": "nobody", "password": "wrong"})
    assert _board(client) == first
    assert _counts(app, "part:board")[1] == 1  # rendered once
    accounts.update_preferences(actor=olga, display_name="Olga Lead")  # the lead's name is on it
    assert "Lead: Olga Lead" in client.get("/").get_data(as_text=True)
    accounts.update_preferences(actor=olga, language="de")
    german = client.get("/").get_data(as_text=True)
    assert "Schweregrad 1" in german and "Severity 1" not in german


def test_an_answer_is_never_older_than_the_heads_it_is_kept_under(app, make_user):
    """A head committed after the request's transaction began is not seen by its reads either."""
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    scope = f"incident:{incident.id}"

    def last_seq():
        return db.session.scalar(
            select(func.max(TimelineEvent.seq)).where(TimelineEvent.incident_id == incident.id)
        )

    def note_from_elsewhere():
        with app.app_context():
            entries.add_note(incident.id, "meanwhile", actor=olga)
            db.session.remove()

    with app.test_request_context():
        db.session.scalar(select(func.count()).select_from(Incident))  # the request reads first
        writer = threading.Thread(target=note_from_elsewhere)
        writer.start()
        writer.join()
        kept = readcache.remembered(("seq", incident.id), last_seq, scopes=(scope,))
        assert (kept,) == readcache.heads((scope,))


def test_an_answer_built_on_uncommitted_writes_is_not_kept(app, make_user):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    scope = f"incident:{incident.id}"

    def title():
        return db.session.get(Incident, incident.id).title

    with app.test_request_context():
        begin_write()
        db.session.get(Incident, incident.id).title = "Never committed"
        db.session.flush()
        assert readcache.remembered(("title",), title, scopes=(scope,)) == "Never committed"
        db.session.rollback()
        assert readcache.remembered(("title",), title, scopes=(scope,)) == "Outage"


def test_a_scope_must_be_one_the_registry_names(app):
    with app.test_request_context():
        with pytest.raises(ValueError, match="not a scope"):
            readcache.remembered(("x",), lambda: 1, scopes=("everything",))
        with pytest.raises(TypeError):
            readcache.remembered(("x",), lambda: 1)  # the scopes are not optional


def test_entries_under_other_heads_are_separate_and_age_out():
    cache = readcache.ReadCache(size=2)
    cache.put((("board",), ("incidents",), (5,)), "five")
    cache.put((("board",), ("incidents",), (6,)), "six")
    assert cache.get((("board",), ("incidents",), (5,))) == "five"  # never asked for again in use
    cache.put((("room",), ("incidents",), (6,)), "room")
    assert cache.get((("board",), ("incidents",), (6,))) is None  # the least recently used went
    assert cache.counts["board"] == [1, 1]


def test_the_cache_holds_at_most_its_bytes_and_evicts_the_least_recently_used():
    cache = readcache.ReadCache(size=100, max_bytes=10_000)
    heads = (("people",), (1,))
    for number in range(3):
        cache.put(((f"page {number}",), *heads), "x" * 3000)
    cache.get((("page 0",), *heads))  # used again: page 1 is now the oldest
    cache.put((("page 3",), *heads), "x" * 3000)
    assert [cache.get(((f"page {n}",), *heads)) is not None for n in range(4)] == [
        True,
        False,
        True,
        True,
    ]
    # larger than the whole budget: not kept, nothing evicted
    cache.put((("huge",), *heads), "x" * 20_000)
    assert cache.get((("huge",), *heads)) is None and len(cache) == 3
