"""Who finds what: restricted incidents stay hidden, snippets carry no markup from what was
typed, and the page, the API and "have we said this before?" say what is wrong with a query."""

from crisisdesk.accounts import service as accounts
from crisisdesk.extensions import db
from crisisdesk.incidents import entries, restriction

from ..conftest import login

SCRIPT = "<script>alert(1)</script> Kunden warten <b>lange</b>"


def test_a_restricted_incident_is_found_only_by_those_who_may_read_it(
    olga, mia, make_user, open_incident, token_for, client
):
    secret = open_incident("Verdacht auf Betrug", restricted=True, restriction_reason="Ermittlung")
    entries.add_note(secret.id, "Betrug durch Innentäter vermutet.", actor=olga)
    admin = make_user("ada", roles=["admin"])
    headers = lambda user: token_for(user)  # noqa: E731
    for user, expected in ((olga, 2), (admin, 2), (mia, 0)):
        reply = client.get("/api/v1/search?q=Betrug", headers=headers(user))
        assert reply.status_code == 200
        assert len(reply.json["items"]) == expected, user.username
    restriction.add_member(secret.id, "mia", actor=olga)
    db.session.rollback()
    assert len(client.get("/api/v1/search?q=Betrug", headers=headers(mia)).json["items"]) == 2


def test_a_kept_answer_never_outlives_a_new_text_or_a_new_role(
    olga, mia, make_user, open_incident, token_for, client
):
    secret = open_incident("Verdacht auf Betrug", restricted=True, restriction_reason="Ermittlung")
    headers = {user.id: token_for(user) for user in (olga, mia)}

    def found(user):
        return client.get("/api/v1/search?q=Betrug", headers=headers[user.id]).json

    assert len(found(olga)["items"]) == 1 and found(mia)["items"] == []
    assert found(mia)["items"] == []  # asked twice: the second answer was the kept one
    entries.add_note(secret.id, "Betrug bestätigt.", actor=olga)
    db.session.rollback()
    assert len(found(olga)["items"]) == 2 and found(mia)["items"] == []
    accounts.set_roles(mia.id, ["admin"], actor=make_user("ada", roles=["admin"]))
    db.session.rollback()
    assert len(found(mia)["items"]) == 2


def test_snippets_are_escaped_text_with_only_the_hits_marked(
    olga, open_incident, token_for, client
):
    incident = open_incident("Wartezeiten")
    entries.add_note(incident.id, SCRIPT, actor=olga)
    item = client.get("/api/v1/search?q=Kunde", headers=token_for(olga)).json["items"][0]
    assert item["kind"] == "note" and item["ref"] == incident.ref
    assert item["snippet"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Kunden</mark> warten &lt;b&gt;lange&lt;/b&gt;"
    )
    login(client, "olga")
    page = client.get("/search?q=Kunde").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<mark>Kunden</mark>" in page and f'href="/incidents/{incident.id}"' in page


def test_the_api_pages_with_a_cursor_and_names_what_is_wrong(
    olga, open_incident, token_for, client
):
    incident = open_incident("Hotline")
    for number in range(5):
        entries.add_note(incident.id, f"Anruf {number} zur Hotline", actor=olga)
    headers = token_for(olga)
    first = client.get("/api/v1/search?q=hotline&limit=4", headers=headers).json
    assert len(first["items"]) == 4 and first["next_cursor"]
    rest = client.get(
        f"/api/v1/search?q=hotline&limit=4&cursor={first['next_cursor']}", headers=headers
    ).json
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert {i["source_id"] for i in first["items"]}.isdisjoint(
        i["source_id"] for i in rest["items"]
    )
    for query, reason in (("", "bad_query"), ("?!", "bad_query"), ("x" * 201, "bad_query")):
        reply = client.get("/api/v1/search", query_string={"q": query}, headers=headers)
        assert reply.status_code == 422 and reply.json["error"]["reason"] == reason
        assert reply.json["error"]["field"] == "q"
    bad = client.get("/api/v1/search?q=hotline&cursor=zzz", headers=headers)
    assert bad.status_code == 422 and bad.json["error"]["reason"] == "bad_cursor"


def test_the_search_page_shows_an_error_on_the_form_and_pages_on(olga, open_incident, client):
    incident = open_incident("Hotline")
    for number in range(22):
        entries.add_note(incident.id, f"Anruf {number} zur Hotline", actor=olga)
    login(client, "olga")
    empty = client.get("/search")
    assert empty.status_code == 200 and 'role="search"' in empty.get_data(as_text=True)
    wrong = client.get("/search?q=%3F%21")
    assert wrong.status_code == 422
    assert "Type at least one word" in wrong.get_data(as_text=True)
    first = client.get("/search?q=Hotline").get_data(as_text=True)
    assert "Results 1 to 20" in first and "start=20" in first
    second = client.get("/search?q=Hotline&start=20").get_data(as_text=True)
    assert "Results 21 to 23" in second and "More results" not in second


def test_have_we_said_this_before_offers_published_texts_of_other_incidents_newest_first(
    olga, open_incident, publish, clock, token_for, client
):
    older = open_incident("Störung Karten")
    publish(older, "Kartenzahlungen sind wieder möglich. Danke für Ihre Geduld.")
    clock.advance(minutes=30)
    newer = open_incident("Störung Karten, zweites Mal")
    publish(newer, "Kartenzahlung gestört, wir arbeiten daran. Danke für Ihre Geduld.")
    current = open_incident("Störung Karten, heute")
    publish(current, "Kartenzahlung gestört (heute).")
    # a draft in another incident was never said
    from crisisdesk.responses import service as responses

    responses.draft_response(older.id, actor=olga, channel="x", body="Kartenzahlung ENTWURF")
    reply = client.get(
        f"/api/v1/incidents/{current.id}/said-before?q=Kartenzahlung Geduld",
        headers=token_for(olga),
    )
    assert reply.status_code == 200
    refs = [item["ref"] for item in reply.json["items"]]
    assert refs == [newer.ref, older.ref]
    assert all(item["kind"] == "response" for item in reply.json["items"])
    login(client, "olga")
    draft = client.get(f"/incidents/{current.id}/responses/new?free=1").get_data(as_text=True)
    assert f'action="/incidents/{current.id}/said-before"' in draft
    page = client.get(f"/incidents/{current.id}/said-before?q=Kartenzahlung").get_data(as_text=True)
    assert page.index(newer.ref) < page.index(older.ref) and "ENTWURF" not in page
    assert client.get(f"/incidents/{current.id}/said-before?q=%21").status_code == 422
