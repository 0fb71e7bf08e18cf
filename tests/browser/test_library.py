"""In Chromium at phone width: read a playbook, preview a statement with its channel counts, and
sign off an edited statement as legal."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crisisdesk.library.store import invalidate

from .conftest import create_demo_users, page_width, serving
from .test_login import sign_in

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"


def test_read_playbook_and_preview_statement_on_a_phone(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    main = page.get_by_role("main")
    page.goto(f"{live_server.url}/library/?q=phishing&language=en")
    main.get_by_role("link", name="Phishing wave").first.click()
    expect(main.get_by_role("heading", name="Checklist")).to_be_visible()
    expect(main.get_by_role("table").first).to_contain_text("min")
    # nothing overflows sideways at 375 px
    assert page_width(page) <= 375
    page.goto(f"{live_server.url}/library/statements/holding-social-en")
    main.get_by_label("What it is about").fill("Online banking disruption")
    main.get_by_label("Help and information").fill("on our website")
    main.get_by_label("next update").fill("14:30")
    main.get_by_role("button", name="Preview").click()
    x_card = main.locator('[data-channel-count="x"]')
    expect(x_card).to_contain_text("of 280 characters")
    expect(main.locator(".card-body").first).to_contain_text("Online banking disruption")
    assert page_width(page) <= 375


@pytest.fixture
def edited_statement_server(tmp_path):
    """A desk whose demo sign-offs cover every statement, after which one statement file changed:
    its new version waits for legal."""
    content = tmp_path / "playbooks"
    shutil.copytree(PLAYBOOKS, content)
    with serving(tmp_path, CONTENT_DIR=str(content)) as server:
        create_demo_users(server.app)
        statement = content / "statements" / "holding-social.en.md"
        # a shorter text: the post must still fit X's 280 characters
        text = statement.read_text(encoding="utf-8")
        assert " Cause and duration are still open." in text
        statement.write_text(text.replace(" Cause and duration are still open.", ""), "utf-8")
        invalidate(str(content))
        yield server


def test_legal_signs_off_with_a_free_placeholder(page: Page, edited_statement_server):
    url = edited_statement_server.url
    sign_in(page, url, "legal", "legal-demo-pass")
    main = page.get_by_role("main")
    page.goto(f"{url}/library/statements/holding-social-en")
    expect(main.get_by_text("‘next_update’ (time): checked by type.")).to_be_visible()
    main.get_by_label("‘issue’ is free").check()
    main.get_by_label("Allowed values for ‘issue’").fill(
        "disruption in online banking\ncard payments disrupted"
    )
    main.get_by_label("Pattern for ‘issue’").fill("(a+)+")
    main.get_by_role("button", name="Approve this version").click()
    expect(main.get_by_role("alert")).to_contain_text("repeats a group")
    main.get_by_label("Pattern for ‘issue’").fill("")
    main.get_by_role("button", name="Approve this version").click()
    expect(main).to_contain_text("Free placeholders")
    expect(main).to_contain_text("disruption in online banking · card payments disrupted")
    assert page_width(page) <= 375
