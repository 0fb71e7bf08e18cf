"""The offline bundle's pages: everything the library holds, relative links, no script, no leaks."""

import json
import posixpath
import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.library import service as library
from crisisdesk.library.store import get_library
from crisisdesk.people import contacts, duties
from crisisdesk.public import offline
from crisisdesk.public.manifest import MANIFEST, SIGNATURE, check_copy
from crisisdesk.public.offline_pages import page_path, statement_html
from crisisdesk.timeline.models import TimelineEvent

HREF = re.compile(r'(?:href|src)="([^"]*)"')
SECRET_CONTACT = {
    "name": "Zacharias Unverwechselbar",
    "organisation": "Rechenzentrum Süd GmbH",
    "phones": ["+49 30 5550199"],
    "email": "zacharias@rz-sued.example",
    "tags": ["it-provider"],
    "notes": "Kennwort für Störungsmeldungen: Tresor, Fach 3",
}


@pytest.fixture
def people(app, make_user, clock):
    """Legal and an admin; a contact and a duty whose member has a name found nowhere else."""
    users = {
        "legal": make_user("lena", roles=["legal"]),
        "admin": make_user("ada", roles=["admin"]),
        "rota": make_user("rosalind", roles=["legal"], display_name="Rosalind Dienstplan"),
    }
    contacts.create_contact(actor=users["admin"], **SECRET_CONTACT)
    duties.save_duty(
        "legal-duty",
        actor=users["admin"],
        title="Rechtsbereitschaft",
        period="weekly",
        members=["rosalind"],
        starts_on="2026-11-23",
        handover="08:00",
        zone="Europe/Berlin",
    )
    return users


def _html(bundle, path: str) -> str:
    return bundle.files[path].decode()


def test_every_playbook_statement_and_dark_page_has_its_page_in_both_languages(people):
    bundle = offline.make_bundle()
    lib = get_library()
    for playbook in lib.playbooks.values():
        page = _html(bundle, page_path(playbook.language, "playbooks", playbook.slug))
        assert str(escape(playbook.title)) in page
        for item in playbook.checklist:  # the checklist, every item
            assert str(escape(item.text)) in page
    dark = [s for s in lib.statements.values() if s.dark]
    assert dark, "the library has dark pages"
    for statement in lib.statements.values():
        kind = "dark" if statement.dark else "statements"
        assert page_path(statement.language, kind, statement.slug) in bundle.files
    for language in ("de", "en"):
        for name in ("index", "search", "escalation"):
            assert page_path(language, name) in bundle.files
    assert {"index.html", "style.css", "public-key.txt", MANIFEST, SIGNATURE} <= set(bundle.files)
    manifest = json.loads(bundle.files[MANIFEST])
    assert manifest["counts"]["playbooks"] == len(lib.playbooks)
    assert manifest["counts"]["dark_pages"] == len(dark)
    assert check_copy(bundle.files).ok


def test_links_are_relative_and_lead_to_files_of_the_bundle_and_nothing_loads_from_outside(people):
    bundle = offline.make_bundle(contacts=True, rotas=True)
    pages = [path for path in bundle.files if path.endswith(".html")]
    for path in pages:
        html = _html(bundle, path)
        assert "<script" not in html.lower(), path
        assert "<iframe" not in html.lower() and "<img" not in html.lower(), path
        for tag in re.findall(r"<link [^>]*>", html):
            assert 'href="' in tag and "://" not in tag and "//" not in tag.split('href="')[1], tag
        assert " src=" not in html and "url(" not in html, path
        # the only addresses outside the bundle are links a playbook's own text makes
        assert sorted(re.findall(r'="(https?://[^"]*)"', html)) == sorted(
            re.findall(r'<a href="(https?://[^"]*)"', html)
        ), path
        for target in HREF.findall(html):
            if target.startswith(("tel:", "mailto:", "#", "https://", "http://")):
                continue
            file = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
            assert file in bundle.files, f"{path} links to {target}, which is not in the bundle"
    css = bundle.files["style.css"].decode()
    assert "url(" not in css and "@import" not in css and "@media print" in css


def test_statements_state_their_approval_when_the_bundle_was_made(people, clock):
    lib = get_library()
    approved = lib.statements["holding-social-en"]
    library.approve_statement(approved.slug, actor=people["legal"], review_by=date(2027, 6, 30))
    bundle = offline.make_bundle()
    page = _html(bundle, page_path("en", "statements", approved.slug))
    assert "approved" in page and "2027-06-30" in page
    assert "2026-11-29 10:00" in page  # approved at the frozen clock's time, shown in Berlin
    other = _html(bundle, page_path("en", "statements", "outage-update-en"))
    assert "not approved" in other
    manifest = json.loads(bundle.files[MANIFEST])
    assert manifest["made_at"] == "2026-11-29T09:00:00Z"
    assert manifest["statements"][approved.slug]["status"] == "approved"
    assert manifest["statements"][approved.slug]["review_by"] == "2027-06-30"
    assert manifest["statements"]["outage-update-en"]["status"] == "unapproved"
    assert "lena" not in bundle.files[MANIFEST].decode()  # who approved is not in the copy
    clock.advance(days=365)  # a year on, a new bundle tells the approval has expired
    later = offline.make_bundle()
    assert json.loads(later.files[MANIFEST])["statements"][approved.slug]["status"] == "expired"
    assert "expired" in _html(later, page_path("en", "statements", approved.slug))


def test_statement_text_keeps_its_placeholders_visible_with_their_descriptions(app):
    statement = get_library().statements["holding-social-en"]
    html = str(statement_html(statement))
    assert '<mark class="ph">{{ issue }}</mark>' in html
    page = offline.make_bundle().files[page_path("en", "statements", statement.slug)].decode()
    for placeholder in statement.placeholders:
        assert "{{ " + placeholder.name + " }}" in page
        assert placeholder.label in page


def test_search_page_lists_every_page_of_its_language_and_the_keywords(app):
    bundle = offline.make_bundle()
    lib = get_library()
    for language in ("de", "en"):
        search = _html(bundle, page_path(language, "search"))
        assert "<form" not in search  # an index to read, nothing to submit
        targets = set(HREF.findall(search))
        for item in [*lib.playbooks.values(), *lib.statements.values()]:
            if item.language == language:
                kind = (
                    "playbooks"
                    if item.slug in lib.playbooks
                    else ("dark" if item.dark else "statements")
                )
                assert posixpath.basename(page_path(language, kind, item.slug)) in {
                    posixpath.basename(t) for t in targets
                }, item.slug
        phishing = lib.playbooks[f"phishing-wave-{language}"]
        assert phishing.triggers[0] in search


def test_the_escalation_page_shows_the_shared_policy_and_its_reasons(app):
    bundle = offline.make_bundle()
    page = _html(bundle, page_path("en", "escalation"))
    for severity, steps in get_library().policy["en"].items():
        assert f"Severity {severity}" in page
        for step in steps:
            assert str(escape(step.action)) in page
    assert "Why these timings" in page and "supervisory board" in page


def test_pages_show_their_language_and_link_to_the_other(app):
    bundle = offline.make_bundle()
    german = _html(bundle, page_path("de", "playbooks", "phishing-wave-de"))
    assert '<html lang="de">' in german and "Checkliste" in german
    assert 'href="../../en/playbooks/phishing-wave-en.html"' in german
    english = _html(bundle, page_path("en", "index"))
    assert '<html lang="en">' in english and "Playbooks" in english


def test_personal_data_is_in_no_file_unless_chosen(people):
    secrets = [
        SECRET_CONTACT["name"],
        SECRET_CONTACT["phones"][0],
        SECRET_CONTACT["email"],
        "Rosalind Dienstplan",
        "rosalind",
    ]
    plain = offline.make_bundle()
    for path, data in plain.files.items():
        text = data.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, f"{secret} in {path}"
    assert page_path("de", "contacts") not in plain.files

    chosen = offline.make_bundle(contacts=True, rotas=True)
    for language in ("de", "en"):
        listed = _html(chosen, page_path(language, "contacts"))
        assert SECRET_CONTACT["name"] in listed and SECRET_CONTACT["phones"][0] in listed
        assert 'href="tel:+49305550199"' in listed
        rotas = _html(chosen, page_path(language, "rotas"))
        assert "Rechtsbereitschaft" in rotas and "Rosalind Dienstplan" in rotas
    everything = b"".join(chosen.files.values()).decode("utf-8", "replace")
    assert SECRET_CONTACT["notes"] not in everything  # notes stay in the desk
    assert json.loads(chosen.files[MANIFEST])["includes"] == {"contacts": True, "rotas": True}

    only_contacts = offline.make_bundle(contacts=True)
    assert page_path("en", "rotas") not in only_contacts.files
    assert "Rosalind Dienstplan" not in b"".join(only_contacts.files.values()).decode()


def test_a_downloaded_or_exported_bundle_is_on_the_timeline(people):
    offline.download_bundle(actor=people["admin"], contacts=True)
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "offline_bundle_made")
    ).one()
    data = json.loads(event.data)
    assert event.actor_name == "ada"
    assert data["contacts"] is True and data["rotas"] is False
    assert len(data["sha256"]) == 64 and data["files"] > 100


def test_q_and_a_sheets_are_in_the_copy_with_answers_only_while_signed_off(people, clock):
    lib = get_library()
    signed, unsigned = "phishing-wave-qa-en", "card-outage-qa-en"
    library.approve_qa(signed, actor=people["legal"])
    bundle = offline.make_bundle()
    manifest = json.loads(bundle.files[MANIFEST])
    assert manifest["counts"]["qa_sheets"] == len(lib.qa)
    assert manifest["qa_sheets"][signed]["status"] == "approved"
    assert manifest["qa_sheets"][unsigned]["status"] == "unapproved"
    for slug, sheet in lib.qa.items():
        page = _html(bundle, page_path(sheet.language, "qa", slug))
        shown = str(escape(sheet.items[0].answer)) in page
        assert shown == (slug == signed), slug
        assert all(str(escape(item.question)) in page for item in sheet.items)
        home = _html(bundle, page_path(sheet.language, "index"))
        assert f'href="qa/{slug}.html"' in home
        assert f'href="qa/{slug}.html"' in _html(bundle, page_path(sheet.language, "search"))
    assert "Not signed off by legal" in _html(bundle, page_path("en", "qa", unsigned))
    assert check_copy(bundle.files).ok
