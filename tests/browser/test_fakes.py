"""In Chromium on a phone: on-call reports a fake from the room in one field and one button, on
the first screen, and moves it to reported with the platform's case reference."""

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents

from .conftest import PHONE, page_width
from .test_login import sign_in


def test_a_fake_is_reported_from_a_phone_in_one_field(page: Page, live_server, demo_users):
    with live_server.app.app_context():
        incident = incidents.open_incident(
            actor=find_user("oncall"),
            title="Fake support profiles",
            severity=2,
            playbook="fake-support-accounts-en",
        )
        incident_id = incident.id
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    page.goto(f"{live_server.url}/incidents/{incident_id}")
    main = page.get_by_role("main")
    main.get_by_role("link", name="Fake accounts and phishing").click()
    address = main.get_by_label("Link, domain or phone number")
    add = main.get_by_role("button", name="Add the fake")
    box = add.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # the first screen
    address.fill("https://www.instagram.com/volksbank.hilfe/?igshid=x")
    add.click()
    expect(page.locator(".alert-success")).to_contain_text("1 item added.")
    item = main.locator(".suspect").first
    expect(item).to_contain_text("Profile · Instagram")
    item.get_by_label("The platform's case reference").fill("IG-2026-77")
    item.get_by_role("button", name="Save the status").click()
    expect(main.locator(".suspect").first).to_contain_text("case IG-2026-77")
    expect(main.locator(".suspect").first.locator(".badge")).to_have_text("reported")
    assert page_width(page) <= PHONE["width"]
