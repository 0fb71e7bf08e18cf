"""In Chromium: a pre-approved holding statement
out in a few clicks; free text through four eyes.
"""

from playwright.sync_api import Browser, Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library

from .conftest import PHONE
from .test_login import sign_in


def open_incident(live_server, title="Online banking down"):
    with live_server.app.app_context():
        return incidents.open_incident(
            actor=find_user("oncall"), title=title, severity=1, playbook="it-provider-outage-en"
        ).id


def test_preapproved_holding_statement_published_in_a_few_clicks(
    page: Page, live_server, demo_users
):
    incident_id = open_incident(live_server)
    with live_server.app.app_context():
        try:
            library.approve_statement(
                "holding-social-en",
                actor=find_user("legal"),
                free_placeholders=["issue", "help_place"],
            )
        except Conflict:  # `flask demo` signed it off already, its text placeholders free
            db.session.rollback()
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    main = page.get_by_role("main")
    page.goto(f"{live_server.url}/incidents/{incident_id}")
    main.get_by_role("link", name="Draft a response").click()
    main.get_by_role("link", name="First statement (social media): we are on it").click()
    main.get_by_label("Channel").select_option("x")
    main.get_by_label("What it is about").fill("Online banking disruption")
    main.get_by_label("Help and information").fill("on our website")
    main.get_by_label("next update").fill("14:30")
    main.get_by_role("button", name="Create response").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("pre-approved")
    main.get_by_text("Publish", exact=True).click()
    main.get_by_label("Link to the published post (optional)").fill("https://x.com/bank/status/1")
    main.get_by_role("button", name="Record as published").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("published")
    page.goto(f"{live_server.url}/incidents/{incident_id}/said")
    expect(main.locator(".said")).to_contain_text("Online banking disruption")


def test_free_text_through_four_eyes(browser: Browser, live_server, demo_users):
    incident_id = open_incident(live_server)
    oncall = browser.new_context(viewport=PHONE).new_page()
    legal = browser.new_context(viewport=PHONE).new_page()
    sign_in(oncall, live_server.url, "oncall", "oncall-demo-pass")
    sign_in(legal, live_server.url, "legal", "legal-demo-pass")

    oncall_main, legal_main = oncall.get_by_role("main"), legal.get_by_role("main")

    oncall.goto(f"{live_server.url}/incidents/{incident_id}/responses/new?free=1")
    oncall_main.get_by_label("Channel").select_option("facebook")
    oncall_main.get_by_label("Text").fill("We are aware of problems with online banking.")
    oncall_main.get_by_role("button", name="Create response").click()
    oncall_main.get_by_role("button", name="Send to legal").click()
    expect(oncall_main.get_by_role("button", name="Send to legal")).to_have_count(0)
    response_url = oncall.url

    legal.goto(f"{live_server.url}/responses/review")
    legal_main.get_by_role("link", name="Facebook").first.click()
    legal_main.get_by_label("Comment (required to reject)").fill("Say when the next update comes.")
    legal_main.get_by_role("button", name="Reject").click()
    expect(legal.get_by_role("heading", level=1)).to_contain_text("rejected")

    oncall.goto(response_url)
    expect(oncall_main).to_contain_text("Say when the next update comes.")
    # a rejected revision opens its edit form and names no "Send to legal"
    expect(oncall_main.get_by_label("Text")).to_be_visible()
    expect(oncall_main.get_by_role("button", name="Send to legal")).to_have_count(0)
    oncall_main.get_by_label("Text").fill(
        "We are aware of problems with online banking. Next update at 15:00."
    )
    oncall_main.get_by_role("button", name="Save revision").click()
    oncall_main.get_by_role("button", name="Send to legal").click()
    expect(oncall_main.get_by_role("button", name="Send to legal")).to_have_count(0)

    legal.goto(response_url)
    expect(legal_main.locator("ins")).to_contain_text("Next update at 15:00.")  # the word diff
    legal_main.get_by_role("button", name="Approve").click()
    expect(legal.get_by_role("heading", level=1)).to_contain_text("approved")

    oncall.goto(response_url)
    oncall_main.get_by_text("Publish", exact=True).click()
    oncall_main.get_by_role("button", name="Record as published").click()
    expect(oncall.get_by_role("heading", level=1)).to_contain_text("published")
    oncall.goto(f"{live_server.url}/incidents/{incident_id}")
    timeline = oncall_main.locator("#events")
    for text in (
        "drafted response",
        "sent response",
        "rejected response",
        "revised response",
        "approved response",
        "published response",
    ):
        expect(timeline).to_contain_text(text)


def test_script_in_user_text_stays_inert(page: Page, live_server, demo_users):
    payload = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    incident_id = open_incident(live_server, title=payload)
    with live_server.app.app_context():
        from crisisdesk.responses import service as responses

        responses.draft_response(
            incident_id, actor=find_user("oncall"), channel="facebook", body=payload
        )
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    for path in ("/", f"/incidents/{incident_id}", "/responses/1"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("main")).to_contain_text("<script>window.__xss = 1</script>")
        assert page.evaluate("window.__xss === undefined")
