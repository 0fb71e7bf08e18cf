"""The service-centre sheet: the incident's answers for our own people and the approved Q&A of its
playbook, marked against the sheet handed out last."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.review import service as review

from ..conftest import login
from .conftest import events

SHEET = "phishing-wave-qa-en"
ANSWER = "Tell callers: we never ask for a TAN. Forward the mail to phishing@bank.example."


@pytest.fixture
def phishing(olga, clock):
    return incidents.open_incident(
        actor=olga, title="Phishing wave", severity=2, playbook="phishing-wave-en"
    )


@pytest.fixture
def publish_internal(api, oh, approved_free):
    """publish_internal(incident, body) → id of an answer published to the service centre."""

    def publish(incident, body=ANSWER):
        number = approved_free(incident, "service_script", "service_centre", body)
        assert api("post", f"/responses/{number}/publish", oh, json={}).status_code == 200
        return number

    return publish


def page(client, incident) -> str:
    return client.get(f"/incidents/{incident.id}/service-sheet").get_data(as_text=True)


def test_unapproved_answers_are_withheld_and_approved_ones_shown(client, olga, lena, phishing):
    login(client, "olga")
    before = page(client, phishing)
    assert "Not signed off by legal: do not read these answers out." in before
    question = library.get_qa(SHEET).items[0].question
    assert question not in before
    library.approve_qa(SHEET, actor=lena)
    after = page(client, phishing)
    assert question in after and "Hand over to:" in after
    assert "Not signed off by legal" not in after


def test_the_incidents_own_answers_come_first_and_a_retracted_one_leaves(
    client, api, oh, olga, phishing, publish_internal
):
    login(client, "olga")
    assert "Nothing published to staff, branches or the service centre yet." in page(
        client, phishing
    )
    number = publish_internal(phishing)
    own = page(client, phishing).split('id="own-answers"', 1)[1].split("</ol>", 1)[0]
    assert "phishing@bank.example" in own and "Service centre script" in own
    reply = api("post", f"/responses/{number}/retract", oh, json={"reason": "Wrong address."})
    assert reply.status_code == 200
    assert "phishing@bank.example" not in page(client, phishing)


def test_handing_out_records_the_sheet_and_the_next_marks_what_is_new(
    client, olga, lena, phishing, publish_internal
):
    library.approve_qa(SHEET, actor=lena)
    publish_internal(phishing)
    login(client, "olga")
    first = page(client, phishing)
    assert "No sheet has been handed out yet." in first and "badge text-bg-primary" not in first
    assert client.post(f"/incidents/{phishing.id}/service-sheet/issue").status_code == 302
    db.session.rollback()
    [issued] = events("qa_sheet_issued")
    assert len(issued.data) > 0 and '"response:1"' in issued.data
    unchanged = page(client, phishing)
    assert "Marked against the sheet handed out" in unchanged
    assert ">new</span>" not in unchanged and ">changed</span>" not in unchanged
    publish_internal(phishing, "New: the fake mails now come from support@bank-example.net.")
    marked = page(client, phishing)
    assert marked.count(">new</span>") == 1
    assert marked.index(">new</span>") < marked.index("support@bank-example.net")


def test_a_changed_and_signed_off_answer_is_marked_changed(client, olga, lena, phishing, content):
    library.approve_qa(SHEET, actor=lena)
    login(client, "olga")
    client.post(f"/incidents/{phishing.id}/service-sheet/issue")
    content.edit("qa/phishing-wave.en.md", "Please do not click any links", "Do not click links")
    library.approve_qa(SHEET, actor=lena)
    marked = page(client, phishing)
    assert marked.count(">changed</span>") == 1 and ">new</span>" not in marked
    entry = marked.split(f'id="qa-{SHEET}-is-this-mail-from-you"', 1)[1].split("</li>", 1)[0]
    assert ">changed</span>" in entry and "Do not click links" in entry


def test_only_writers_hand_out_a_sheet_and_never_for_a_closed_incident(
    client, olga, lena, phishing
):
    login(client, "lena")
    assert client.post(f"/incidents/{phishing.id}/service-sheet/issue").status_code == 403
    client.post("/logout")
    login(client, "olga")
    for status in ("monitoring", "resolved"):
        incidents.update_incident(phishing.id, actor=olga, status=status)
    review.update_postmortem(phishing.id, actor=olga, summary="Handled.")
    incidents.update_incident(phishing.id, actor=olga, status="closed")
    client.post(f"/incidents/{phishing.id}/service-sheet/issue")
    assert events("qa_sheet_issued") == []
    assert "Record this sheet as handed out" not in page(client, phishing)


def test_the_room_links_the_sheet(client, olga, phishing):
    login(client, "olga")
    room = client.get(f"/incidents/{phishing.id}").get_data(as_text=True)
    assert f'href="/incidents/{phishing.id}/service-sheet"' in room
