"""In Chromium at 375 × 812: the first hour of an incident on a phone, open to copied post.

Each page of the story must keep its next action on the first screen and never scroll sideways.
With CRISISDESK_SCREENS_DIR set, the room, the draft form and the response page are saved there as
screenshots (`make screens` writes the ones under docs/screens/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.library import service as library

from .conftest import page_width
from .test_login import sign_in

FIRST_SCREEN = 812
#: Markdown a plain-text post must never carry
MARKDOWN = re.compile(r"\*\*|__|\]\(|^#{1,6} |^- ", re.MULTILINE)
SCREENS = os.environ.get("CRISISDESK_SCREENS_DIR")


def _on_first_screen(element: Locator) -> None:
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN, box


def _no_sideways_scroll(page: Page) -> None:
    width = (page_width(page), page.evaluate("window.innerWidth"))
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide at {width[1]} px"


def _screen(page: Page, name: str, full_page: bool = False) -> None:
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENS) / f"{name}.png"), full_page=full_page)


def _approve_warning_with_free_values(app) -> None:
    with app.app_context():
        try:
            library.approve_statement(
                "phishing-warning-en",
                actor=find_user("legal"),
                free_placeholders=["lure_topic", "report_address"],
            )
        except Conflict:  # `flask demo` signed it off already, its text placeholders free
            db.session.rollback()


def test_the_first_hour_on_a_phone(page: Page, live_server, demo_users):
    _approve_warning_with_free_values(live_server.app)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    main = page.get_by_role("main")

    # open: the board's button, then the form
    _on_first_screen(main.get_by_role("link", name="Open incident"))
    _no_sideways_scroll(page)
    main.get_by_role("link", name="Open incident").click()
    main.get_by_label("Title").fill("Phishing mails ask for TANs")
    main.get_by_label("Playbook").select_option("phishing-wave-en")
    main.get_by_label("Severity").select_option("1")
    main.get_by_role("button", name="Open incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+$"))
    room_url = page.url

    # the room: nothing is overdue at minute 0, and what to do is on the first screen
    now = main.locator("#now")
    acknowledge = now.get_by_role("button", name=re.compile("^Acknowledge"))
    first_item = now.locator(".now-check").first
    _on_first_screen(acknowledge)
    _on_first_screen(first_item)
    _on_first_screen(now.get_by_role("link", name="Draft a response"))
    expect(main.locator(".countdown")).to_have_text(re.compile(r"^in \d+ minutes?"))
    expect(main.locator(".step-overdue")).to_have_count(0)
    expect(main.locator(".step-acknowledged")).to_have_count(1)  # the opener took the lead step
    expect(main.locator("details.guidance-first")).to_have_attribute("open", "")
    _no_sideways_scroll(page)
    _screen(page, "room")

    # acknowledge the next step and tick the first item, from the first screen
    acknowledge.click()
    expect(main.locator(".step-acknowledged")).to_have_count(2)
    item_text = first_item.locator(".check-text").inner_text()
    first_item.click()
    expect(main.locator("#checklist [aria-pressed=true]").first).to_contain_text(item_text)
    expect(now).not_to_contain_text(item_text)

    # draft from the statement, watching the preview
    now.get_by_role("link", name="Draft a response").click()
    main.get_by_role("link", name="Warning about phishing in our bank's name").click()
    expect(main.get_by_label("Channel", exact=True)).to_have_value("facebook")
    main.get_by_label("Contact channel").select_option("email")
    main.get_by_label("The scam").fill("an alleged security check of your account")
    main.get_by_label("Phishing mailbox").fill("phishing@bank.example")
    preview = main.locator("#draft-preview")
    expect(preview).to_contain_text("an alleged security check of your account")
    expect(preview).to_contain_text("phishing@bank.example")
    expect(preview).not_to_contain_text("**")
    expect(preview).not_to_contain_text("{{")
    _no_sideways_scroll(page)
    _screen(page, "draft", full_page=True)  # the form and its preview
    main.get_by_role("button", name="Create response").click()

    # the response: pre-approved, the decision on top, the exact text copied
    expect(page.get_by_role("heading", level=1)).to_contain_text("pre-approved")
    publish = main.get_by_role("button", name="Record as published")
    _on_first_screen(publish)
    _no_sideways_scroll(page)
    _screen(page, "response")
    posted = main.locator("#response-text").inner_text()
    assert posted.startswith("Warning, fraud attempts:") and not MARKDOWN.search(posted)
    main.get_by_label("Link to the published post (optional)").fill(
        "https://www.facebook.com/bank.example/posts/" + "1234567890" * 8
    )
    publish.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("published")
    _no_sideways_scroll(page)  # a long published link wraps instead of widening the page
    main.get_by_role("button", name="Copy text").click()
    expect(main.locator(".copy-tool [role=status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == posted

    # what we said, and the room again: all still one screen wide
    page.goto(room_url + "/said")
    expect(main).to_contain_text("Warning, fraud attempts:")
    _no_sideways_scroll(page)
    page.goto(room_url)
    _no_sideways_scroll(page)


def test_every_playbooks_first_screen_holds_the_next_actions(page: Page, live_server, demo_users):
    """The longest texts (German, severity 1) still leave the next actions on the first screen."""
    from crisisdesk.incidents import service as incidents
    from crisisdesk.library.store import get_library

    with live_server.app.app_context():
        opener = find_user("oncall")
        rooms = {
            slug: incidents.open_incident(
                actor=opener, title=f"Drill {slug}", severity=1, playbook=slug
            ).id
            for slug in sorted(get_library().playbooks)
        }
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    page.get_by_role("button", name="Deutsch").click()  # the language bar, never folded
    expect(page.locator("html")).to_have_attribute("lang", "de")
    now = page.locator("#now")
    for incident_id in rooms.values():
        page.goto(f"{live_server.url}/incidents/{incident_id}")
        _on_first_screen(now.get_by_role("button", name=re.compile("^Bestätigen")))
        _on_first_screen(now.get_by_role("link", name="Antwort entwerfen"))
        _on_first_screen(now.locator(".now-check").first)
        _no_sideways_scroll(page)
