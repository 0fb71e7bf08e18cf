"""In Chromium: management opens the dashboard and a
post-mortem; the SVG chart is there; print gives a PDF.
"""

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents
from crisisdesk.review import service as review

from .test_login import sign_in


def test_dashboard_postmortem_chart_and_pdf(page: Page, live_server, demo_users):
    with live_server.app.app_context():
        incident = incidents.open_incident(
            actor=find_user("oncall"),
            title="Phishing wave in our name",
            severity=1,
            playbook="phishing-wave-en",
        )
        review.update_postmortem(
            incident.id,
            actor=find_user("management"),
            summary="Warned customers within 20 min.",
            lessons="Keep the SMS warning pre-approved.",
            actions=[{"text": "Review SMS texts", "owner": "Legal", "due": "2026-12-10"}],
        )
        incident_id, ref = incident.id, incident.ref
    sign_in(page, live_server.url, "management", "management-demo-pass")
    main = page.get_by_role("main")
    english = page.get_by_role("button", name="English")
    english.click()  # the demo manager reads German by default
    expect(english).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/dashboard")
    expect(main.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(main).to_contain_text(ref)
    main.get_by_role("button", name="Verify now").click()
    expect(main).to_contain_text("chain intact")
    main.get_by_role("link", name="Post-mortem").first.click()
    chart = main.locator("svg.incident-chart")
    expect(chart).to_be_attached()
    # on a phone the chart's table of the same data stands in for it
    expect(chart).to_be_hidden()
    expect(main.locator("table.chart-table")).to_contain_text("Severity 1")
    # the incident is open: its total duration is counted by the script from "since <time>"
    total = main.locator("table.metrics tr", has_text="Total duration").locator(".elapsed")
    expect(total).to_have_text(re.compile(r"^\d+ (second|minute)"))
    assert chart.locator("rect").count() >= 1  # the severity band
    page.goto(f"{live_server.url}/incidents/{incident_id}/postmortem/print")
    pdf = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 0
    text = " ".join(p.extract_text() for p in reader.pages)
    assert ref in text and "Warned customers within 20 min." in text
