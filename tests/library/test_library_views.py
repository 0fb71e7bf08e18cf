"""The library pages: browse, search, read, preview, sign off; broken content never breaks them."""

import re

from crisisdesk.library import service

from ..conftest import login


def test_browse_and_search(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    page = client.get("/library/").get_data(as_text=True)
    assert "Phishing" in page and page.count('href="/library/playbooks/') == 40
    page = client.get("/library/?q=geldautomat+sprengung&language=de").get_data(as_text=True)
    assert (
        "/library/playbooks/atm-blasting-de" in page
        and "/library/playbooks/phishing-wave-de" not in page
    )
    page = client.get("/library/?channel=sms").get_data(as_text=True)
    assert (
        "/library/statements/sms-outage-de" in page
        and "/library/statements/holding-press-de" not in page
    )


def test_users_without_role_and_anonymous_are_kept_out(client, make_user):
    assert client.get("/library/").status_code == 302
    make_user("nobody", roles=["oncall"])
    from crisisdesk.accounts import service as accounts

    accounts.set_roles(accounts.find_user("nobody").id, [])
    login(client, "nobody")
    assert client.get("/library/").status_code == 403


def test_playbook_page_shows_checklist_escalation_and_statements(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    page = client.get("/library/playbooks/it-provider-outage-en").get_data(as_text=True)
    assert "Pause scheduled marketing posts" in page or "marketing" in page.lower()
    assert "Severity 1" in page and "15 min" in page
    assert "/library/statements/holding-social-en" in page
    assert client.get("/library/playbooks/none").status_code == 404


def test_statement_preview_counts_against_channel_limits(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    page = client.get(
        "/library/statements/holding-social-de",
        query_string={
            "issue": "Störung im Online-Banking",
            "help_place": "auf unserer Website",
            "next_update": "14:30",
        },
    ).get_data(as_text=True)
    assert "Störung im Online-Banking: Wir wissen davon" in page and "14:30 Uhr" in page
    x_count = re.search(r'data-channel-count="x">\s*(\d+) of 280 characters', page)
    assert x_count and int(x_count.group(1)) <= 280
    page = client.get(
        "/library/statements/holding-social-de",
        query_string={"issue": "<script>alert(1)</script>", "next_update": "99:99"},
    ).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "must be a time" in page


def test_legal_signs_off_from_the_page_and_the_queue(client, make_user):
    make_user("lena", roles=["legal"])
    login(client, "lena")
    queue = client.get("/library/review").get_data(as_text=True)
    assert "holding-social-de" in queue
    response = client.post("/library/statements/holding-social-de/approve", data={"review_by": ""})
    assert response.status_code == 302
    assert service.approval_state(service.get_statement("holding-social-de")).status == "approved"
    page = client.get("/library/statements/holding-social-de").get_data(as_text=True)
    assert "Approved by" in page and "Approve this version" not in page
    assert '/library/statements/holding-social-de"' not in client.get("/library/review").get_data(
        as_text=True
    )


def test_oncall_cannot_sign_off(client, make_user):
    make_user("olga", roles=["oncall"])
    login(client, "olga")
    assert client.post("/library/statements/holding-social-de/approve", data={}).status_code == 403
    assert service.approval_state(service.get_statement("holding-social-de")).status == "unapproved"


def test_broken_content_is_shown_to_legal_and_never_crashes(client, make_user, content):
    (content.path / "statements" / "broken.de.md").write_text("---\nslug: [\n---\n")
    from crisisdesk.library.store import invalidate

    invalidate(str(content.path))
    make_user("lena", roles=["legal"])
    login(client, "lena")
    page = client.get("/library/").get_data(as_text=True)
    assert "playbooks/statements/broken.de.md" in page
    assert client.get("/library/statements/holding-social-de").status_code == 200
