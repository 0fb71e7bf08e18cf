"""In Chromium at phone width: read a playbook, preview a statement with its channel counts."""

from playwright.sync_api import Page, expect

from .test_login import sign_in


def test_read_playbook_and_preview_statement_on_a_phone(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    page.goto(f"{live_server.url}/library/?q=phishing&language=en")
    page.get_by_role("link", name="Phishing wave").first.click()
    expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("min")
    # nothing overflows sideways at 375 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server.url}/library/statements/holding-social-en")
    page.get_by_label("issue").fill("Online banking disruption")
    page.get_by_label("next update").fill("14:30")
    page.get_by_role("button", name="Preview").click()
    x_card = page.locator('[data-channel-count="x"]')
    expect(x_card).to_contain_text("of 280 characters")
    expect(page.locator(".card-body").first).to_contain_text("Online banking disruption")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_legal_signs_off_with_a_free_placeholder(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "legal", "legal-demo-pass")
    page.goto(f"{live_server.url}/library/statements/holding-social-en")
    expect(page.get_by_text("‘next_update’ (time): checked by type.")).to_be_visible()
    page.get_by_label("‘issue’ is free").check()
    page.get_by_label("Allowed values for ‘issue’").fill(
        "disruption in online banking\ncard payments disrupted"
    )
    page.get_by_label("Pattern for ‘issue’").fill("(a+)+")
    page.get_by_role("button", name="Approve this version").click()
    expect(page.get_by_role("alert")).to_contain_text("repeats a group")
    page.get_by_label("Pattern for ‘issue’").fill("")
    page.get_by_role("button", name="Approve this version").click()
    expect(page.locator("body")).to_contain_text("Free placeholders")
    expect(page.locator("body")).to_contain_text(
        "disruption in online banking · card payments disrupted"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
