"""The offline bundle in Chromium from file://, JavaScript off: links work, search is a plain index,
print hides the navigation, and no request leaves the file system."""

import re

import pytest
from playwright.sync_api import Page, expect

from crisisdesk.people import contacts

PLAYBOOK = "Phishing wave using our bank's name"


@pytest.fixture
def browser_context_args(browser_context_args):
    """A phone with JavaScript switched off: the bundle must not need it."""
    return {**browser_context_args, "java_script_enabled": False}


@pytest.fixture
def bundle(app, make_user, tmp_path):
    """A bundle exported by the command line, with the contacts, as if copied to a USB stick."""
    admin = make_user("ada", roles=["admin"])
    contacts.create_contact(
        actor=admin, name="Störungshotline", phones=["+49 30 23125 201"], tags=["it-provider"]
    )
    folder = tmp_path / "usb stick" / "crisisdesk"  # a space in the path, as on real sticks
    result = app.test_cli_runner().invoke(
        args=["export", "offline", str(folder), "--with-contacts"]
    )
    assert result.exit_code == 0, result.output
    return folder


def test_the_bundle_reads_from_file_without_javascript_or_network(page: Page, bundle):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((bundle / "index.html").as_uri())
    expect(page.get_by_role("heading", level=1)).to_contain_text("CrisisDesk offline")

    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/index\.html$"))
    main = page.get_by_role("main")
    main.get_by_role("link", name=PLAYBOOK).click()
    expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
    expect(page.get_by_role("heading", name="First 15 minutes", exact=True)).to_be_visible()
    expect(main.get_by_text("Severity 2 by default")).to_be_visible()

    # a statement of the playbook, with its approval state and visible placeholders
    statements = main.get_by_role("region", name="Statements")
    statements.get_by_role("link", name="Warning about phishing in our bank's name").click()
    expect(page).to_have_url(re.compile(r"/en/statements/phishing-warning-en\.html$"))
    expect(page.get_by_text("When this copy was made:")).to_be_visible()
    expect(page.locator("mark.ph").first).to_be_visible()

    # the search page is a plain index: a keyword leads to its playbook
    nav = page.get_by_role("navigation", name="Offline bundle")
    nav.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    keywords = page.locator("dl.keywords")
    expect(keywords.get_by_text("phishing", exact=True)).to_be_visible()
    page.get_by_role("link", name="P", exact=True).first.click()  # letter link: a jump in the page
    expect(page).to_have_url(re.compile(r"search\.html#k-P$"))
    page.locator("dd").get_by_role("link", name=PLAYBOOK).first.click()
    expect(page).to_have_url(re.compile(r"/en/playbooks/phishing-wave-en\.html$"))

    # the contacts, the other language
    nav = page.get_by_role("navigation", name="Offline bundle")
    nav.get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("link", name="+49 30 23125 201")).to_have_attribute(
        "href", "tel:+493023125201"
    )
    nav.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/de/index\.html$"))
    expect(page.get_by_role("heading", name="Checkliste")).to_have_count(0)
    page.get_by_role("main").get_by_role(
        "link", name="Phishing-Welle im Namen unserer Bank"
    ).click()
    expect(page.get_by_role("heading", name="Checkliste")).to_be_visible()

    # printed, the navigation goes and the text stays
    page.emulate_media(media="print")
    expect(page.locator("header.bar")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert any(url.endswith("/style.css") for url in requests), "the style sheet loads"
    outside = [url for url in requests if not url.startswith("file://")]
    assert outside == [], f"requests left the file system: {outside}"
