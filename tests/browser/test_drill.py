"""In Chromium on a phone: management starts a short drill, the on-call participant sees the
first inject arrive on the DRILL incident and acknowledges, the lead ends it and signs off."""

from playwright.sync_api import Page, expect

from crisisdesk.drills.service import release_due_injects

from .conftest import PHONE, page_width
from .test_login import sign_in

SCENARIO = "Drill: IT service provider outage on a Monday morning"


def fits_the_phone(page: Page) -> None:
    """Nothing scrolls sideways at 375 px."""
    assert page_width(page) <= PHONE["width"]


def test_a_short_drill_from_start_to_signed_report_on_a_phone(
    page: Page, browser, live_server, demo_users
):
    sign_in(page, live_server.url, "management", "management-demo-pass")
    english = page.get_by_role("button", name="English")
    english.click()  # the demo manager reads German by default
    expect(english).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/drills")
    main = page.get_by_role("main")
    main.get_by_label("Scenario", exact=True).select_option(label=SCENARIO)
    main.get_by_label("Participants", exact=True).select_option(["oncall"])
    main.get_by_role("button", name="Start the drill").click()

    heading = main.get_by_role("heading", level=1)
    expect(heading).to_contain_text("DRILL:")
    banner = main.locator(".drill-banner")
    expect(banner).to_contain_text("An exercise, not a real incident")
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    fits_the_phone(page)
    room = page.url.split("#")[0]

    with live_server.app.app_context():
        assert release_due_injects() == 1  # the inject at minute 0 is due at once

    oncall = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    try:
        sign_in(oncall, live_server.url, "oncall", "oncall-demo-pass")
        oncall.goto(room)
        desk = oncall.get_by_role("main")
        expect(desk.locator(".drill-banner")).to_be_visible()
        expect(desk.locator("#events")).to_contain_text("Card declined at the till")
        desk.locator(".next-step").get_by_role("button", name="Acknowledge").click()
        expect(desk.locator("#events")).to_contain_text("acknowledged")
        fits_the_phone(oncall)
    finally:
        oncall.context.close()

    page.goto(room)
    drill_card = main.locator("#drill")
    drill_card.get_by_role("button", name="End the drill").click()
    expect(page.locator(".alert-success")).to_contain_text("The drill has ended.")
    main.locator("#drill").get_by_role("link", name="Exercise report").click()
    expect(heading).to_contain_text("Exercise report")
    objectives = main.locator("table").first
    expect(objectives).to_contain_text("acknowledges the first escalation step")
    expect(objectives.locator("tbody tr").first).to_contain_text("met")
    main.get_by_role("button", name="Sign off the report").click()
    expect(main.locator(".alert-success").last).to_contain_text("Signed off by management")
    fits_the_phone(page)
