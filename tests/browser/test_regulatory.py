"""In Chromium on a phone: compliance classifies an incident as major from the room, the clock
counts down at the top of the page, and the report made stops it."""

import re

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents

from .conftest import PHONE
from .test_login import sign_in


def test_compliance_classifies_and_records_the_initial_notification(
    page: Page, live_server, demo_users
):
    with live_server.app.app_context():
        incident = incidents.open_incident(
            actor=find_user("oncall"),
            title="Provider down",
            severity=1,
            playbook="it-provider-outage-en",
        )
        incident_id, ref = incident.id, incident.ref
    sign_in(page, live_server.url, "compliance", "compliance-demo-pass")
    english = page.get_by_role("button", name="English")
    english.click()  # the demo compliance officer reads German by default
    expect(english).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/incidents/{incident_id}")
    main = page.get_by_role("main")
    main.get_by_role("link", name="Assessment and reports").click()
    expect(main.get_by_role("heading", level=1)).to_contain_text(ref)
    expect(main.locator("#clocks")).to_contain_text("No clock runs")

    for label in (
        "Critical services affected",
        "Clients, counterparts and transactions",
        "Reputational impact",
    ):
        main.get_by_label(label, exact=True).check()
    main.get_by_label("Major ICT-related incident").check()
    main.get_by_label("Reasons", exact=True).fill("Online banking down for most clients")
    main.get_by_role("button", name="Save assessment").click()

    clocks = main.locator("#clocks")
    expect(page.locator(".alert-success")).to_contain_text("The assessment is saved.")
    expect(clocks).to_contain_text("major ICT-related incident")
    # four hours from now, written by the script: "in 3 hours 59 minutes" or "in 4 hours"
    expect(clocks.locator("time.countdown")).to_have_text(re.compile(r"^in (3|4) hours?"))
    # the deadline is on the phone's first screen
    box = clocks.locator("time.countdown").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]

    record = main.locator("#record")
    record.get_by_label("Report", exact=True).select_option("dora_initial")
    record.get_by_label("The authority's reference").fill("BAFIN-2026-0042")
    record.get_by_role("button", name="Record report").click()
    expect(main.locator("#made")).to_contain_text("BAFIN-2026-0042")
    expect(clocks.locator(".clock-met")).to_contain_text("DORA initial notification")
    expect(clocks).to_contain_text("DORA intermediate report")
