"""Fakes inside an incident: kinds and platforms read from the address, duplicates merged,
statuses moved on with the platform's reference, time to takedown measured with the fake clock."""

import re
from datetime import UTC, datetime

import pytest

from crisisdesk.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.impersonation import case_views, cases, official
from crisisdesk.impersonation.addresses import read_address
from crisisdesk.incidents import restriction
from crisisdesk.incidents import service as incidents

from ..conftest import login

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(app, make_user, clock):
    clock.freeze(NOW)
    return {
        "olga": make_user("olga", roles=["oncall"]),
        "lena": make_user("lena", roles=["legal"]),
        "max": make_user("max", roles=["management"]),
    }


@pytest.fixture
def wave(people):
    return incidents.open_incident(
        actor=people["olga"], title="Fake support", severity=2, playbook="fake-support-accounts-en"
    )


@pytest.mark.parametrize(
    "address, kind, platform, key",
    [
        (
            "https://www.instagram.com/volksbank.hilfe/?igshid=abc",
            "profile",
            "instagram",
            "instagram.com/volksbank.hilfe",
        ),
        (
            "http://instagram.com//volksbank.hilfe",
            "profile",
            "instagram",
            "instagram.com/volksbank.hilfe",
        ),
        ("https://x.com/vb_support/status/123?s=20", "post", "x", "x.com/vb_support/status/123"),
        ("https://de.linkedin.com/in/fake-vb", "profile", "linkedin", "de.linkedin.com/in/fake-vb"),
        ("volksbank-login.example", "domain", "website", "volksbank-login.example"),
        ("https://apps.apple.com/app/id1", "app", "app_store", "apps.apple.com/app/id1"),
        ("+49 151 2345-6789", "phone", "other", "tel:+4915123456789"),
    ],
)
def test_an_address_says_its_kind_platform_and_key(address, kind, platform, key):
    assert read_address(address) == (kind, platform, key)


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "not an address", "ftp://x.example", "12"]
)
def test_what_is_no_address_is_refused(address):
    assert read_address(address) is None


def test_a_paste_merges_duplicates_within_it_and_with_what_is_there(wave, people):
    first = cases.add_items(wave.id, ["https://www.instagram.com/vb.hilfe/"], actor=people["olga"])
    assert len(first.created) == 1
    pasted = cases.add_items(
        wave.id,
        [
            "http://instagram.com/vb.hilfe?utm_source=listening",
            "https://x.com/vb_hilfe",
            "https://x.com/vb_hilfe/",
            {"url": "vb-login.example", "reach": 1200},
        ],
        actor=people["olga"],
    )
    assert [i.key for i in pasted.created] == ["x.com/vb_hilfe", "vb-login.example"]
    assert [i.id for i in pasted.merged] == [first.created[0].id, pasted.created[0].id]
    assert pasted.created[1].reach == 1200
    assert len(cases.items_of(wave.id, actor=people["lena"])) == 3


def test_bad_input_names_the_item_and_field_and_adds_nothing(wave, people):
    for entries, field in (
        ([], "items"),
        (["https://x.com/a", "no address"], "items.1.url"),
        ([{"url": "https://x.com/a", "kind": "rumour"}], "items.0.kind"),
        ([{"url": "https://x.com/a", "platform": "myspace"}], "items.0.platform"),
        ([{"url": "https://x.com/a", "reach": -1}], "items.0.reach"),
        ([{"url": "https://x.com/a", "colour": "red"}], "items.0"),
        (["x" * 501], "items.0.url"),
    ):
        with pytest.raises(Invalid) as refused:
            cases.add_items(wave.id, entries, actor=people["olga"])
        assert refused.value.field == field
    assert cases.items_of(wave.id, actor=people["olga"]) == []
    with pytest.raises(Forbidden):
        cases.add_items(wave.id, ["https://x.com/a"], actor=people["lena"])


def test_statuses_move_on_with_the_reference_and_takedown_is_timed(wave, people, clock):
    item = cases.add_items(
        wave.id, [{"url": "https://x.com/vb_hilfe", "platform": "x"}], actor=people["olga"]
    ).created[0]
    with pytest.raises(Conflict):
        cases.move_item(item.id, "taken_down", actor=people["olga"])  # not reported yet
    cases.move_item(item.id, "reported", actor=people["olga"])
    clock.advance(hours=2)
    cases.move_item(item.id, "under_review", actor=people["olga"], reference="X-CASE-81")
    clock.advance(hours=1)
    done = cases.move_item(item.id, "taken_down", actor=people["olga"])
    assert done.platform_reference == "X-CASE-81"
    assert cases.takedown_seconds(done) == 3 * 3600
    other = cases.add_items(wave.id, ["https://x.com/vb_hilfe2"], actor=people["olga"]).created[0]
    cases.move_item(other.id, "reported", actor=people["olga"])
    clock.advance(hours=5)
    cases.move_item(other.id, "taken_down", actor=people["olga"])
    figures = cases.takedown_by_platform(cases.items_of(wave.id, actor=people["olga"]))
    assert figures == {"x": {"items": 2, "taken_down": 2, "median_s": 4 * 3600}}
    with pytest.raises(Invalid):
        cases.move_item(item.id, "vanished", actor=people["olga"])
    back = cases.move_item(item.id, "re_reported", actor=people["olga"])
    assert cases.takedown_seconds(back) is None and back.reported_at is not None


def test_a_restricted_incidents_fakes_do_not_exist_for_outsiders(people, make_user):
    secret = incidents.open_incident(
        actor=people["olga"],
        title="Staff account",
        severity=2,
        playbook="fake-support-accounts-en",
        restricted=True,
        restriction_reason="Personnel",
    )
    item = cases.add_items(secret.id, ["https://x.com/a"], actor=people["olga"]).created[0]
    otto = make_user("otto", roles=["oncall"])
    with pytest.raises(NotFound):
        cases.get_item(item.id, actor=otto)
    restriction.add_member(secret.id, "otto", actor=people["olga"])
    assert cases.get_item(item.id, actor=otto).id == item.id


def test_the_page_adds_one_in_a_field_pastes_many_and_moves_them(client, wave, people):
    official.add_account(
        actor=people["max"], platform="x", handle="@vb", url="https://x.com/vb_official"
    )
    login(client, "olga")
    page = f"/incidents/{wave.id}/impersonations"
    added = client.post(page, data={"quick-url": "https://x.com/vb_hilfe", "quick-reach": "900"})
    assert added.status_code == 302
    bad = client.post(page, data={"quick-url": "no address here"})
    assert bad.status_code == 422 and "not a link, domain or phone number" in bad.get_data(
        as_text=True
    )
    pasted = client.post(page, data={"bulk-urls": "https://x.com/vb_hilfe\nvb-login.example\n"})
    assert pasted.status_code == 302
    db.session.rollback()  # see what the requests committed
    item = cases.items_of(wave.id, actor=people["olga"])[-1]
    moved = client.post(
        f"/impersonations/{item.id}/move", data={"status": "reported", "reference": "X-1"}
    )
    assert moved.status_code == 302
    text = client.get(page).get_data(as_text=True)
    assert "case X-1" in text and "Report it to X" in text and "https://help.x.com/" in text
    assert text.count('class="card mb-2 suspect"') == 2
    letter = client.get(
        f"/incidents/{wave.id}/responses/new?statement=takedown-request-en"
        "&platform=X&fake_handle=https%3A%2F%2Fx.com%2Fvb_hilfe&official_url=https%3A%2F%2Fx.com%2Fvb_official"
    ).get_data(as_text=True)
    assert 'value="https://x.com/vb_official"' in letter


def test_the_api_adds_merges_and_moves(client, wave, people, token_for):
    olga = token_for(people["olga"])
    url = f"/api/v1/incidents/{wave.id}/impersonations"
    made = client.post(url, headers=olga, json={"items": ["https://x.com/a", "https://x.com/a/"]})
    assert made.status_code == 201 and len(made.json["created"]) == 1
    assert len(made.json["merged"]) == 1
    again = client.post(url, headers=olga, json={"items": [{"url": "http://x.com/a"}]})
    assert again.status_code == 200 and again.json["created"] == []
    item = made.json["created"][0]["id"]
    moved = client.patch(
        f"/api/v1/impersonations/{item}",
        headers=olga,
        json={"status": "reported", "platform_reference": "X-9"},
    )
    assert moved.json["status"] == "reported" and moved.json["platform_reference"] == "X-9"
    wrong = client.patch(f"/api/v1/impersonations/{item}", headers=olga, json={"status": "found"})
    assert wrong.status_code == 409
    listed = client.get(url, headers=token_for(people["lena"])).json
    assert listed["platforms"] == {"x": {"items": 1, "taken_down": 0, "median_s": None}}
    assert (
        client.post(url, headers=token_for(people["lena"]), json={"items": ["x.com/b"]}).status_code
        == 403
    )


def test_the_customer_warning_names_the_reported_fakes_as_far_as_they_fit(client, wave, people):
    from urllib.parse import parse_qs, urlsplit

    from crisisdesk.impersonation.addresses import display_name

    assert display_name("profile", "https://x.com/vb_hilfe/") == "@vb_hilfe"
    assert display_name("domain", "https://www.vb-login.example/a") == "vb-login.example"
    assert display_name("phone", "+49 151 234") == "+49 151 234"
    found = cases.add_items(
        wave.id,
        [
            {"url": "https://x.com/vb_hilfe", "platform": "x", "kind": "profile"},
            {"url": "https://x.com/vb_service_team_official_help", "kind": "profile"},
            {"url": "https://x.com/never_reported", "kind": "profile"},
        ],
        actor=people["olga"],
    ).created
    for item in found[:2]:
        cases.move_item(item.id, "reported", actor=people["olga"])
    login(client, "olga")
    page = client.get(f"/incidents/{wave.id}/impersonations").get_data(as_text=True)
    link = next(
        part.split('"')[0].replace("&amp;", "&")
        for part in page.split('href="')
        if "impersonation-warning-en" in part
    )
    values = parse_qs(urlsplit(link).query)
    assert values["platform"] == ["X"]
    # the second name would pass the statement's 55 characters: the first one stands alone
    assert values["fake_handle"] == ["Confirmed fakes: @vb_hilfe."]


def test_a_bracket_in_an_address_is_a_clear_refusal_everywhere(client, wave, people, token_for):
    from crisisdesk.incidents import entries

    broken = "https://bank]example/x"
    assert read_address(broken) is None
    with pytest.raises(Invalid):
        entries.add_source_link(wave.id, broken, actor=people["olga"])
    reply = client.post(
        "/api/v1/official-accounts",
        headers=token_for(people["max"]),
        json={"platform": "x", "handle": "@b", "url": broken},
    )
    assert reply.status_code == 422 and reply.json["error"]["field"] == "url"


def test_the_api_pages_the_items_and_counts_every_item_per_platform(
    client, wave, people, token_for
):
    urls = [f"https://x.com/vb_hilfe{n}" for n in range(4)] + ["https://t.me/vb_hilfe"]
    cases.add_items(wave.id, urls, actor=people["olga"])
    headers, path = token_for(people["olga"]), f"/api/v1/incidents/{wave.id}/impersonations"
    seen, cursor = [], None
    while True:
        reply = client.get(path, headers=headers, query_string={"limit": 2, "cursor": cursor})
        assert reply.status_code == 200
        assert reply.json["platforms"]["x"]["items"] == 4  # every item, not the page's
        seen += [item["url"] for item in reply.json["items"]]
        cursor = reply.json["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(urls))  # newest first, each once
    refused = client.get(path, headers=headers, query_string={"cursor": "bm90IGEgbGlzdA"})
    assert refused.status_code == 422 and refused.json["error"]["reason"] == "bad_cursor"


def test_the_page_shows_the_newest_fakes_and_leads_to_older_ones(client, wave, people, monkeypatch):
    monkeypatch.setattr(case_views, "SHOWN", 2)
    cases.add_items(wave.id, [f"https://x.com/vb_hilfe{n}" for n in range(5)], actor=people["olga"])
    login(client, "olga")
    page, shown = f"/incidents/{wave.id}/impersonations", []
    while page:
        text = client.get(page).get_data(as_text=True)
        assert "5 items" in text  # all of them, on every page
        shown += re.findall(r"https://x\.com/vb_hilfe(\d)</a></h3>", text)
        older = re.search(r'href="([^"]*before=\d+)">Older fakes', text)
        page = older and older.group(1).replace("&amp;", "&")
    assert shown == ["4", "3", "2", "1", "0"]
