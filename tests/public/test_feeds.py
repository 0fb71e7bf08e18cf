"""The Atom feed and the JSON Feed, read back by a feed parser as a subscriber's reader would."""

import feedparser_rs as feedparser

from crisisdesk.responses.publishing import retract_response

from .conftest import VALUES


def test_both_feeds_carry_the_live_updates_newest_first(
    app, client, outage, publish, people, clock, site
):
    # the parser drops links to loopback addresses, so the feed names the bank's real host
    app.config["BASE_URL"] = "https://www.volksbank-musterstadt.example"
    publish()
    clock.advance(minutes=10)
    withdrawn = publish(values={**VALUES, "affected": "ATMs"})
    clock.advance(minutes=10)
    publish(values={**VALUES, "affected": "card payments"})
    retract_response(withdrawn.id, "wrong", actor=people["olga"])
    site()
    atom = client.get("/public/feed.atom")
    assert atom.headers["Content-Type"].startswith("application/atom+xml")
    json_feed = client.get("/public/feed.json")
    assert json_feed.headers["Content-Type"].startswith("application/feed+json")
    for body in (atom.data, json_feed.data):
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.feed.title == "Volksbank Musterstadt eG: Hinweise / Notices"
        assert [entry.title for entry in parsed.entries] == [
            "Disruption to cards, ATMs or online banking"
        ] * 2
        contents = [entry.content[0].value for entry in parsed.entries]
        assert "card payments" in contents[0] and "online banking and the app" in contents[1]
        assert all("ATMs</strong>" not in content for content in contents)
        link = parsed.entries[0].link
        assert link.startswith("https://www.volksbank-musterstadt.example/public/en/notices/")
        assert len({entry.id for entry in parsed.entries}) == 2


def test_an_unchanged_site_renders_byte_identical_feeds(client, outage, publish, clock, site):
    publish()
    site()
    before = client.get("/public/feed.atom").data, client.get("/public/feed.json").data
    clock.advance(hours=3)
    from crisisdesk.public.render import render_site

    files = render_site()
    assert (files["feed.atom"], files["feed.json"]) == before


def test_an_empty_site_has_valid_empty_feeds(client, app, site):
    site()
    for path in ("/public/feed.atom", "/public/feed.json"):
        parsed = feedparser.parse(client.get(path).data)
        assert not parsed.bozo and parsed.entries == []
