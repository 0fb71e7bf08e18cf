"""In Chromium at 375 × 812: publishing outward before our own people were told.

The warning and the reason it asks for sit on the first screen of the response page; without a
reason nothing is published and the form says why; the service-centre sheet fits the phone too.
With CRISISDESK_SCREENS_DIR set (`make screens`), both pages are saved as screenshots.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses

from .test_login import sign_in
from .test_phone_story import _no_sideways_scroll, _on_first_screen, _screen

TEXT = "We are closing the branch in Musterdorf at the end of March."


def _approved_public_text(app) -> tuple[int, int]:
    """An incident whose playbook tells staff 10 minutes first, and a public text legal approved."""
    with app.app_context():
        oncall, legal = find_user("oncall"), find_user("legal")
        incident = incidents.open_incident(
            actor=oncall, title="Branch closure", severity=3, playbook="branch-closure-en"
        )
        response = responses.draft_response(
            incident.id, actor=oncall, channel="facebook", body=TEXT, audience="public"
        )
        responses.submit_response(response.id, actor=oncall)
        responses.approve_response(response.id, actor=legal)
        ids = incident.id, response.id
        db.session.remove()
        return ids


def test_going_public_first_warns_on_the_first_screen_and_needs_a_reason(
    page: Page, live_server, demo_users
):
    incident_id, response_id = _approved_public_text(live_server.app)
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    main = page.get_by_role("main")
    page.goto(f"{live_server.url}/responses/{response_id}")

    warning = main.locator("#internal-first")
    reason = main.get_by_label("Why publish before our own people were told?")
    expect(warning).to_contain_text("at least 10 minutes")
    _on_first_screen(warning)
    _on_first_screen(reason)
    _no_sideways_scroll(page)
    _screen(page, "internal-first")

    main.get_by_role("button", name="Record as published").click()
    expect(page.locator(".alert-danger")).to_contain_text("at least 10 minutes")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("published")

    reason.fill("The mayor announced the closure an hour ago.")
    main.get_by_role("button", name="Record as published").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("published")
    _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/incidents/{incident_id}/service-sheet")
    expect(main.get_by_role("button", name="Record this sheet as handed out")).to_be_visible()
    _no_sideways_scroll(page)
    _screen(page, "service-sheet", full_page=True)
