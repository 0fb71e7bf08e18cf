"""In Chromium at phone width: open an incident from the board, watch the countdown, acknowledge
a step, tick a checklist item and see the timeline update without a reload."""

import re

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import entries

from .conftest import page_width
from .test_login import sign_in


def test_open_ack_tick_and_live_timeline(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    main = page.get_by_role("main")
    # the board's own button: the navigation's link of the same name is folded away at phone width
    main.get_by_role("link", name="Open incident").click()
    main.get_by_label("Title").fill("Online banking unreachable")
    main.get_by_label("What is happening?").fill(
        "Customers report online banking not working, login fails"
    )
    suggestion = main.locator("#suggestions button").first
    expect(suggestion).to_be_visible()  # a playbook suggested from the words typed
    # the suggestion chose a playbook, so its severity criteria stand beside the severity field
    chosen = main.get_by_label("Playbook").input_value()
    expect(main.locator(f'[data-criteria="{chosen}"]')).to_be_visible()
    main.get_by_label("Playbook").select_option("it-provider-outage-en")
    criteria = main.locator('[data-criteria="it-provider-outage-en"]')
    expect(criteria).to_be_visible()
    expect(criteria).to_contain_text("Severity 1")
    expect(main.locator("[data-criteria]:visible")).to_have_count(1)
    main.get_by_label("Severity").select_option("1")
    main.get_by_label("X", exact=True).check()
    main.get_by_role("button", name="Open incident").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile(r"CD-\d{4}-0001 · Online banking")
    )

    countdown = main.locator(".next-step .countdown")
    # the server wrote the due time; the script writes how long, with units, in the page's language
    expect(countdown).to_have_attribute("datetime", re.compile(r"Z$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it counts
    expect(countdown).to_have_text(re.compile(r"^(in|overdue by) \d+ (second|minute|hour)"))
    opened_for = main.locator(".room-header .elapsed")
    expect(opened_for).to_contain_text(re.compile(r"open for \d+ second"))

    acknowledged = main.locator(".step-acknowledged")
    before = acknowledged.count()  # the opening may take on a minute-0 step by itself
    main.locator(".step-pending, .step-notified").first.get_by_role(
        "button", name="Acknowledge"
    ).click()
    expect(main.get_by_role("status").first).to_contain_text("Step acknowledged.")
    expect(acknowledged).to_have_count(before + 1)

    page.evaluate("window.__sameDocument = true")
    toggle = main.locator(".checklist-form").first.locator("button")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(main.locator("#events .event-checklist_done")).to_have_count(1, timeout=10_000)

    with live_server.app.app_context():  # someone else writes a note meanwhile
        entries.add_note(1, "Press office informed", actor=find_user("admin"))
    expect(main.locator("#events")).to_contain_text("Press office informed", timeout=10_000)
    assert page.evaluate("window.__sameDocument === true")  # no reload happened
    assert page_width(page) <= 375
