"""In Chromium on a phone: who to call from the room, who is on duty, and keeping the directory."""

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents

from .test_login import sign_in


def test_on_call_finds_the_provider_hotline_and_the_legal_duty_in_the_room(
    page: Page, live_server, demo_users
):
    with live_server.app.app_context():
        incident = incidents.open_incident(
            actor=find_user("oncall"),
            title="Provider down",
            severity=1,
            playbook="it-provider-outage-en",
        )
        incident_id = incident.id
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    page.goto(f"{live_server.url}/incidents/{incident_id}")
    main = page.get_by_role("main")
    call = main.locator("#who-to-call")
    hotline = call.get_by_role("link", name="Call Störungshotline")
    expect(hotline).to_have_attribute("href", "tel:+493023125201")
    # the room's plan names who the legal step reaches first
    expect(main.locator("#steps")).to_contain_text("First Lena Legal on duty (legal-duty)")
    on_duty = main.locator("#on-duty")
    expect(on_duty).to_contain_text("Rechtsbereitschaft: Lena Legal")


def test_management_adds_a_contact_and_finds_it_by_group(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "management", "management-demo-pass")
    english = page.get_by_role("button", name="English")
    english.click()
    expect(english).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/contacts/new")
    main = page.get_by_role("main")
    main.get_by_label("Name", exact=True).fill("Jörg Müller")
    main.get_by_label("Organisation").fill("Presseagentur Süd")
    main.get_by_label("Phone numbers (one per line)").fill("+49 30 23125 301")
    main.get_by_label("Groups (e.g. legal-duty, it-provider)").fill("press-agency")
    main.get_by_role("button", name="Save contact").click()
    expect(page.locator(".alert-success")).to_contain_text("The contact is saved.")
    page.goto(f"{live_server.url}/contacts")
    main.get_by_label("Group").fill("press-agency")
    main.get_by_role("button", name="Search").click()
    expect(main.locator("li.contact")).to_have_count(1)
    expect(main.locator("li.contact")).to_contain_text("Presseagentur Süd")
