"""Remembered reads never outlive a change: every change moves the chain head the answers are kept under."""

from crisisdesk import readcache
from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import tokens
from crisisdesk.incidents import service as incidents

PLAYBOOK = "phishing-wave-en"


def _titles(client, headers, query=""):
    response = client.get(f"/api/v1/incidents{query}", headers=headers)
    assert response.status_code == 200
    return [item["title"] for item in response.json["items"]]


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
    incidents.add_note(incident.id, "first", actor=olga)
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
        assert readcache.chain_head()[0] >= 2  # user created, token created


def test_the_shared_board_list_changes_with_the_desk_the_clock_and_the_language(
    client, make_user, clock
):
    olga = make_user("olga", language="en")
    client.post("/login", data={"username": "olga", "password": "correct horse battery"})
    incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    first = client.get("/").get_data(as_text=True)
    assert "Outage" in first and "1 step overdue" in first  # the first step is due at once
    assert client.get("/").get_data(as_text=True) == first  # from memory
    clock.advance(
        minutes=11 * 60
    )  # every escalation step is due now (within the 12 h session), and no event said so
    assert "steps overdue" in client.get("/").get_data(as_text=True)
    incidents.open_incident(actor=olga, title="Phishing", severity=2, playbook=PLAYBOOK)
    assert "Phishing" in client.get("/").get_data(as_text=True)
    accounts.update_preferences(actor=olga, language="de")
    german = client.get("/").get_data(as_text=True)
    assert "Schweregrad 1" in german and "Severity 1" not in german


def test_a_newer_head_drops_what_older_heads_kept_and_an_older_one_keeps_nothing():
    cache = readcache.ReadCache(size=100)
    cache.put(("board", (5, "e")), "five")
    cache.put(("room", (5, "e")), "five too")
    cache.put(("board", (6, "f")), "six")
    assert len(cache) == 1 and cache.get(("board", (5, "e"))) is None
    cache.put(("room", (5, "e")), "late answer from a request that read the older head")
    assert cache.get(("room", (5, "e"))) is None and cache.get(("board", (6, "f"))) == "six"


def test_the_cache_holds_at_most_its_bytes_and_evicts_the_least_recently_used():
    cache = readcache.ReadCache(size=100, max_bytes=10_000)
    head = (1, "a")
    for number in range(3):
        cache.put((f"page {number}", head), "x" * 3000)
    cache.get(("page 0", head))  # used again: page 1 is now the oldest
    cache.put(("page 3", head), "x" * 3000)
    assert [cache.get((f"page {n}", head)) is not None for n in range(4)] == [
        True,
        False,
        True,
        True,
    ]
    cache.put(
        ("huge", head), "x" * 20_000
    )  # larger than the whole budget: not kept, nothing evicted
    assert cache.get(("huge", head)) is None and len(cache) == 3
