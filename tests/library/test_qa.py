"""Q&A sheets: loaded and checked like statements, signed off by legal per version, offered by
the library next to the playbooks they serve, and served by the API."""

import pytest

from crisisdesk.library import service
from crisisdesk.library.loader import load_library

from ..conftest import login
from .conftest import CONTENT, edit, problems_text

SHEET = "phishing-wave-qa-en"


def test_the_shipped_sheets_cover_five_topics_in_both_languages_for_our_own_people():
    library = load_library(CONTENT)
    assert not library.problems
    topics = {slug.rsplit("-qa-", 1)[0] for slug in library.qa}
    assert len(topics) >= 5
    for sheet in library.qa.values():
        twin = library.qa[sheet.twin]
        assert {sheet.language, twin.language} == {"de", "en"}
        assert [i.id for i in sheet.items] == [i.id for i in twin.items]
        assert sheet.audience in ("staff", "branches", "service_centre")
        assert len(sheet.items) >= 5 and all(i.do_not_say and i.answer for i in sheet.items)
        assert all(library.playbooks[p].language == sheet.language for p in sheet.playbooks)


def test_a_broken_sheet_is_reported_with_its_line(folder):
    sheet = folder / "qa" / "phishing-wave.en.md"
    edit(sheet, "escalate_to: spokesperson", "escalate_to: janitor")
    found = problems_text(folder)
    assert (
        "playbooks/qa/phishing-wave.en.md:14: 'escalate_to' must be one of lead, spokesperson"
        in found
    )


def test_a_sheet_for_a_missing_or_foreign_playbook_is_reported(folder):
    sheet = folder / "qa" / "phishing-wave.en.md"
    edit(sheet, "playbooks: [phishing-wave-en", "playbooks: [ghost-en, phishing-wave-de")
    found = problems_text(folder)
    assert "playbook 'ghost-en' does not exist in en" in found
    assert "playbook 'phishing-wave-de' does not exist in en" in found


def test_a_sheet_whose_items_differ_from_its_twin_is_reported(folder):
    edit(folder / "qa" / "phishing-wave.de.md", "- id: is-this-mail-from-you", "- id: renamed")
    assert "the items must be the same, in the same order, as in twin" in problems_text(folder)


def test_an_answer_longer_than_one_can_read_out_is_reported(folder):
    sheet = folder / "qa" / "phishing-wave.en.md"
    edit(sheet, 'answer: "No.', 'answer: "' + "No. " * 160)
    assert "'answer' can have at most 600 characters" in problems_text(folder)


@pytest.fixture
def lena(app, make_user):
    return make_user("lena", roles=["legal"])


@pytest.fixture
def olga(app, make_user):
    return make_user("olga", roles=["oncall"])


def test_legal_signs_a_sheet_off_through_the_api_and_only_legal(client, lena, olga, token_for):
    listed = client.get("/api/v1/qa?language=en", headers=token_for(olga)).json
    assert SHEET in {s["slug"] for s in listed["items"]}
    assert all(s["language"] == "en" for s in listed["items"])
    refused = client.post(f"/api/v1/qa/{SHEET}/approve", headers=token_for(olga), json={})
    assert refused.status_code == 403
    signed = client.post(
        f"/api/v1/qa/{SHEET}/approve", headers=token_for(lena), json={"review_by": "2027-06-30"}
    )
    assert signed.status_code == 200, signed.json
    assert signed.json["approval"]["status"] == "approved"
    assert signed.json["approval"]["review_by"] == "2027-06-30"
    assert signed.json["items"][0]["escalate_to"] == "spokesperson"
    again = client.post(f"/api/v1/qa/{SHEET}/approve", headers=token_for(lena), json={})
    assert again.status_code == 409
    bad = client.post(
        f"/api/v1/qa/{SHEET}/approve", headers=token_for(lena), json={"review_by": "soon"}
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "review_by"


def test_a_sheet_is_not_a_statement_and_a_statement_is_not_a_sheet(client, lena, token_for):
    headers = token_for(lena)
    assert (
        client.post(f"/api/v1/statements/{SHEET}/approve", headers=headers, json={}).status_code
        == 404
    )
    assert (
        client.post("/api/v1/qa/holding-social-en/approve", headers=headers, json={}).status_code
        == 404
    )
    assert service.approval_state(service.get_qa(SHEET)).status == "unapproved"


def test_the_sign_off_is_on_the_timeline_and_the_audit_finds_it_in_order(
    client, lena, token_for, runner
):
    from crisisdesk.audit import records

    assert (
        client.post(f"/api/v1/qa/{SHEET}/approve", headers=token_for(lena), json={}).status_code
        == 200
    )
    verified = records.verify_records()
    assert verified.ok, verified


def test_the_library_shows_the_sheet_by_its_playbook_and_legal_signs_it_on_the_page(
    client, lena, olga
):
    login(client, "olga")
    index = client.get("/library/?language=en").get_data(as_text=True)
    assert f'href="/library/qa/{SHEET}"' in index
    playbook = client.get("/library/playbooks/phishing-wave-en").get_data(as_text=True)
    assert f'href="/library/qa/{SHEET}"' in playbook
    page = client.get(f"/library/qa/{SHEET}").get_data(as_text=True)
    assert "Do not say:" in page and "Hand over to:" in page and "Spokesperson" in page
    assert "Sign off this version" not in page  # on call reads, legal signs
    client.post("/logout")
    login(client, "lena")
    assert "Sign off this version" in client.get(f"/library/qa/{SHEET}").get_data(as_text=True)
    done = client.post(f"/library/qa/{SHEET}/approve", data={"review_by": ""})
    assert done.status_code == 302
    assert service.approval_state(service.get_qa(SHEET)).usable


def test_legal_finds_unsigned_sheets_in_the_sign_off_queue_and_signs_them_there(client, lena):
    from crisisdesk.extensions import db
    from crisisdesk.library.sign_off_queue import review_queue, sign_off_count

    before = sign_off_count()
    slugs = [entry.statement.slug for entry in review_queue(actor=lena)]
    assert SHEET in slugs and len(slugs) == before
    login(client, "lena")
    queue = client.get("/library/review").get_data(as_text=True)
    assert f'action="/library/qa/{SHEET}/approve"' in queue
    assert "Questions and answers" in queue and "Do not say:" in queue
    bad = client.post(
        f"/library/qa/{SHEET}/approve", data={"review_by": "2020-01-01", "back": "queue"}
    )
    assert bad.status_code == 302 and bad.location.endswith("/library/review")
    db.session.rollback()  # read what the requests committed
    assert not service.approval_state(service.get_qa(SHEET)).usable  # a past date signs nothing
    done = client.post(f"/library/qa/{SHEET}/approve", data={"review_by": "", "back": "queue"})
    assert done.status_code == 302 and done.location.endswith("/library/review")
    db.session.rollback()
    assert service.approval_state(service.get_qa(SHEET)).usable
    assert SHEET not in [entry.statement.slug for entry in review_queue(actor=lena)]
    assert sign_off_count() == before - 1
    assert f'action="/library/qa/{SHEET}/approve"' not in client.get("/library/review").get_data(
        as_text=True
    )
