"""In Chromium: the draft page's preview follows what is typed, in the statement's language."""

import re

from playwright.sync_api import Page, expect

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents

from .test_login import sign_in


def open_phishing(live_server, channels):
    with live_server.app.app_context():
        return incidents.open_incident(
            actor=find_user("oncall"),
            title="Phishing-Welle",
            severity=2,
            playbook="phishing-wave-de",
            channels=channels,
        ).id


def test_the_preview_shows_what_is_typed_as_it_will_be_posted(page: Page, live_server, demo_users):
    incident_id = open_phishing(live_server, ["instagram"])
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    page.goto(
        f"{live_server.url}/incidents/{incident_id}/responses/new?statement=phishing-warning-de"
    )
    preview = page.locator("#preview-text")
    expect(page.get_by_label("Channel")).to_have_value("instagram")
    expect(preview).to_contain_text("[Die Masche]")  # rendered by the server, before any typing

    page.get_by_label("Kontaktweg").select_option("SMS")
    page.get_by_label("Die Masche").fill("eine angebliche Kontosperre")
    expect(preview).to_contain_text("Es geht um eine angebliche Kontosperre.")
    expect(preview).to_contain_text("per SMS im Namen unserer Bank")
    expect(preview).not_to_contain_text("**")
    text = preview.inner_text()
    expect(page.locator("#preview-count")).to_have_text(re.compile(r"^\d+ / 2200$"))
    assert "[Phishing-Postfach]" in text

    mailbox = page.get_by_label("Phishing-Postfach")
    mailbox.fill("phishing@bank.example")
    expect(preview).to_contain_text("an phishing@bank.example weiterleiten")
    mailbox.fill("")  # a required field emptied again is named, by its label
    expect(page.locator("#report_address-error")).to_contain_text("Phishing-Postfach")
    expect(mailbox).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Channel").select_option("website")
    expect(preview.locator("strong")).to_have_text("Achtung, Betrugsversuche:")
    expect(page.locator("#preview-channel")).to_have_text("Website")
    expect(page.locator("#preview-count")).to_have_text(re.compile(r"^\d+$"))  # no limit
    region = page.get_by_role("region", name="Preview: the text as it will be posted")
    expect(region).to_have_attribute("aria-live", "polite")


def test_what_is_typed_before_the_script_arrives_is_previewed(page: Page, live_server, demo_users):
    """A slow phone shows the form before its script runs; what is typed then is not lost."""
    incident_id = open_phishing(live_server, ["instagram"])
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    held = []
    # the script waits until the fields are filled
    page.route("**/js/draft.js", lambda route: held.append(route))
    page.goto(
        f"{live_server.url}/incidents/{incident_id}/responses/new?statement=phishing-warning-de",
        wait_until="commit",
    )
    page.get_by_label("Die Masche").fill("eine angebliche Kontosperre")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#preview-text")).to_contain_text("Es geht um eine angebliche Kontosperre.")
