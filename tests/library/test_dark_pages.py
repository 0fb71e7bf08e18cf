"""Dark pages: prepared public web pages, loaded and checked like statements."""

from crisisdesk.library.loader import load_library

from .conftest import CONTENT, edit, problems_text


def test_the_shipped_dark_pages_are_public_website_pages_named_by_their_playbooks():
    library = load_library(CONTENT)
    pages = [s for s in library.statements.values() if s.dark]
    assert len(pages) >= 16 and {p.language for p in pages} == {"de", "en"}
    for page in pages:
        assert page.audience == "public" and page.channels == ["website"], page.slug
        assert library.statements[page.twin].dark and page.path.startswith("playbooks/dark/")
        assert "{{ bank_name }}" in page.body, page.slug
    named = {p.dark_page for p in library.playbooks.values() if p.dark_page}
    assert named == {p.slug for p in pages}
    for playbook in library.playbooks.values():
        if playbook.dark_page:
            assert library.statements[playbook.dark_page].language == playbook.language


def test_a_dark_page_for_another_channel_or_audience_is_reported(folder):
    page = folder / "dark" / "it-outage-page.en.md"
    edit(page, "channels: [website]", "channels: [website, x]")
    edit(page, "audience: public", "audience: customers")
    found = problems_text(folder)
    assert "playbooks/dark/it-outage-page.en.md:6: a dark page is for the audience public" in found
    assert "a dark page has the one channel website" in found


def test_a_playbook_naming_a_missing_or_ordinary_or_foreign_page_is_reported(folder):
    edit(folder / "it-provider-outage.en.md", "dark_page: it-outage-page-en", "dark_page: ghost-en")
    edit(
        folder / "phishing-wave.en.md",
        "dark_page: phishing-page-en",
        "dark_page: holding-social-en",
    )
    edit(
        folder / "data-breach.de.md",
        "dark_page: data-incident-page-de",
        "dark_page: data-incident-page-en",
    )
    found = problems_text(folder)
    assert "unknown dark page 'ghost-en' (playbooks/dark/)" in found
    assert "unknown dark page 'holding-social-en'" in found
    assert "dark page 'data-incident-page-en' is not in de" in found
