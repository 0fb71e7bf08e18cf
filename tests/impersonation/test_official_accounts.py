"""The official-account registry: kept by management and administrators, read by the desk, each
change logged without the personal fields, overdue access reviews flagged, the public page
written from the active accounts."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crisisdesk.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.impersonation import official
from crisisdesk.timeline.chain import decoded_data
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
INSTAGRAM = {
    "platform": "instagram",
    "handle": "@volksbank.example",
    "url": "https://social.example/@volksbank",
    "verified": True,
    "owner": "Social media team",
    "second_factor": "Olga (team phone)",
    "recovery_contacts": "Ada Admin",
    "last_access_review": "2026-10-01",
}


@pytest.fixture
def people(app, make_user, clock):
    clock.freeze(NOW)
    return {
        "max": make_user("max", roles=["management"]),
        "olga": make_user("olga", roles=["oncall"]),
    }


def events(kind: str) -> list[dict]:
    rows = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == kind))
    return [decoded_data(row) for row in rows]


def test_management_registers_and_changes_and_each_change_names_only_public_values(people):
    account = official.add_account(actor=people["max"], **INSTAGRAM)
    assert account.last_access_review == date(2026, 10, 1) and account.active
    official.change_account(
        account.id, actor=people["max"], second_factor="Lena", handle="@vb.example"
    )
    official.change_account(account.id, actor=people["max"], handle="@vb.example")  # no change
    added, changed = events("official_account_added"), events("official_account_changed")
    assert added[0]["handle"] == "@volksbank.example" and "second_factor" not in added[0]
    assert changed == [
        {"account": account.id, "fields": ["handle", "second_factor"], "handle": "@vb.example"}
    ]
    assert "Olga" not in str(added) + str(changed)


def test_only_keepers_change_it_and_every_bad_value_names_its_field(people):
    with pytest.raises(Forbidden):
        official.add_account(actor=people["olga"], **INSTAGRAM)
    official.add_account(actor=people["max"], **INSTAGRAM)
    with pytest.raises(Conflict):
        official.add_account(actor=people["max"], **{**INSTAGRAM, "url": INSTAGRAM["url"].upper()})
    for field, value in (
        ("platform", "myspace"),
        ("url", "javascript:alert(1)"),
        ("url", "https://x.example/" + "a" * 300),
        ("handle", "   "),
        ("verified", "yes"),
        ("last_access_review", "2027-01-01"),  # in the future
        ("last_access_review", "01.10.2026"),
        ("recovery_contacts", "x" * 1001),
    ):
        with pytest.raises(Invalid) as refused:
            official.add_account(actor=people["max"], **{**INSTAGRAM, field: value})
        assert refused.value.field == field
    with pytest.raises(Invalid) as refused:
        official.add_account(actor=people["max"], platform="x", handle="@b")
    assert refused.value.field == "url"


def test_an_access_review_older_than_six_months_is_overdue(people):
    account = official.add_account(actor=people["max"], **INSTAGRAM)
    assert not official.review_overdue(account)
    official.change_account(account.id, actor=people["max"], last_access_review="2026-06-06")
    assert official.review_overdue(account)  # 6 months and a day before 7 December
    official.change_account(account.id, actor=people["max"], last_access_review="2026-06-07")
    assert not official.review_overdue(account)
    official.change_account(account.id, actor=people["max"], last_access_review=None)
    assert official.review_overdue(account)


def test_the_public_page_lists_the_active_accounts_only(app, people):
    from crisisdesk.public.render import render_site

    kept = official.add_account(actor=people["max"], **INSTAGRAM)
    old = official.add_account(
        actor=people["max"], platform="x", handle="@old.bank", url="https://x.example/old"
    )
    official.change_account(old.id, actor=people["max"], active=False)
    files = render_site()
    page = files["en/channels.html"].decode()
    assert kept.handle in page and "verified by the platform" in page
    assert "@old.bank" not in page and "Olga" not in page and "Ada Admin" not in page
    assert "von der Plattform verifiziert" in files["channels.html"].decode()


def test_the_registry_pages_and_the_api(client, people, token_for):
    login(client, "max")
    added = client.post(
        "/official-accounts/new",
        data={**INSTAGRAM, "verified": "y", "active": "y"},
    )
    assert added.status_code == 302
    listing = client.get("/official-accounts").get_data(as_text=True)
    assert "@volksbank.example" in listing and "access review overdue" not in listing
    bad = client.post("/official-accounts/1", data={**INSTAGRAM, "url": "ftp://x"})
    assert bad.status_code == 422 and 'value="ftp://x"' in bad.get_data(as_text=True)
    boss, olga = token_for(people["max"]), token_for(people["olga"])
    items = client.get("/api/v1/official-accounts", headers=olga).json["items"]
    assert [(a["handle"], a["review_overdue"]) for a in items] == [("@volksbank.example", False)]
    made = client.post(
        "/api/v1/official-accounts",
        headers=boss,
        json={"platform": "x", "handle": "@vb", "url": "https://x.example/vb"},
    )
    assert made.status_code == 201 and made.json["review_overdue"] is True
    patched = client.patch(
        f"/api/v1/official-accounts/{made.json['id']}", headers=boss, json={"active": False}
    )
    assert patched.json["active"] is False
    assert (
        client.post("/api/v1/official-accounts", headers=olga, json={"platform": "x"}).status_code
        == 403
    )
    assert client.patch(
        "/api/v1/official-accounts/1", headers=boss, json={"colour": "red"}
    ).status_code in (400, 422)
    assert client.get("/api/v1/official-accounts/99", headers=olga).status_code == 404


def test_the_api_pages_the_registry_in_its_order(client, people, token_for):
    for handle, active in (("@b", True), ("@a", True), ("@c", False)):
        account = official.add_account(
            actor=people["max"],
            **{**INSTAGRAM, "handle": handle, "url": f"https://social.example/{handle}"},
        )
        if not active:
            official.change_account(account.id, actor=people["max"], active=False)
    headers, handles, cursor = token_for(people["olga"]), [], None
    while True:
        reply = client.get(
            "/api/v1/official-accounts",
            headers=headers,
            query_string={"limit": 2, "cursor": cursor},
        ).json
        handles += [item["handle"] for item in reply["items"]]
        cursor = reply["next_cursor"]
        if cursor is None:
            break
    assert handles == ["@a", "@b", "@c"]  # active ones first, then by handle
    refused = client.get("/api/v1/official-accounts", headers=headers, query_string={"cursor": "!"})
    assert refused.status_code == 422
