"""Legal review through the API: four eyes, one approved revision, reviews kept per revision."""

import pytest

from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import queries, service
from crisisdesk.responses.models import Response, Review
from crisisdesk.timeline import verify_chain

from .conftest import EDITED, FREE, response_events, sha


def reason(reply) -> str:
    return reply.json["error"].get("reason")


def test_submit_asks_legal(flow):
    flow.draft()
    reply = flow.step("submit")
    assert reply.status_code == 200 and reply.json["status"] == "pending_legal"


def test_legal_author_may_not_approve_own_text(flow, make_user, token_for):
    lex = token_for(make_user("lex", roles=["oncall", "legal"]))
    flow.draft(headers=lex)
    flow.step("submit", lex)
    reply = flow.step("approve", lex)
    assert reply.status_code == 403 and reason(reply) == "four_eyes"
    assert flow.get().json["status"] == "pending_legal"


def test_admin_with_legal_role_may_not_approve_own_text(flow, make_user, token_for):
    ada = token_for(make_user("ada", roles=["admin", "legal"]))
    flow.draft(headers=ada)
    flow.step("submit", ada)
    reply = flow.step("approve", ada)
    assert reply.status_code == 403 and reason(reply) == "four_eyes"


def test_legal_reviser_of_someone_elses_text_may_not_approve(flow, make_user, token_for):
    lex = token_for(make_user("lex", roles=["oncall", "legal"]))
    flow.draft()
    flow.revise(EDITED, lex)
    flow.step("submit")
    reply = flow.step("approve", lex)
    assert reply.status_code == 403 and reason(reply) == "four_eyes"


def test_another_legal_user_may_approve_what_a_legal_author_wrote(flow, make_user, token_for, lh):
    lex = token_for(make_user("lex", roles=["oncall", "legal"]))
    flow.draft(headers=lex)
    flow.step("submit", lex)
    assert flow.step("approve", lh).json["status"] == "approved"


@pytest.mark.parametrize("roles", [["oncall"], ["management"], ["admin"]])
def test_only_legal_may_approve(flow, make_user, token_for, roles):
    flow.to("pending_legal")
    reply = flow.step("approve", token_for(make_user("other", roles=roles)))
    assert reply.status_code == 403 and reason(reply) == "not_legal"


def test_reject_needs_a_comment(flow, lh):
    flow.to("pending_legal")
    reply = flow.step("reject", lh)
    assert reply.status_code == 422 and reply.json["error"]["field"] == "comment"
    assert flow.get().json["status"] == "pending_legal" and flow.get().json["reviews"] == []


def test_reject_with_comment_stores_the_review(flow, lh):
    flow.to("pending_legal")
    reply = flow.step("reject", lh, comment="Do not promise a time.")
    assert reply.status_code == 200 and reply.json["status"] == "rejected"
    assert flow.get().json["reviews"] == [
        {
            "revision": 1,
            "decision": "rejected",
            "comment": "Do not promise a time.",
            "reviewer": "lena",
            "at": "2026-11-29T09:00:00Z",
        }
    ]


def test_revised_text_can_be_resubmitted_and_approved(flow, lh):
    flow.to("rejected")
    revised = flow.revise(EDITED)
    assert (revised.status_code, revised.json["revision"], revised.json["status"]) == (
        200,
        2,
        "draft",
    )
    assert flow.step("submit").json["status"] == "pending_legal"
    approved = flow.step("approve", lh, comment="Fine now.")
    assert (approved.json["status"], approved.json["approved_revision"]) == ("approved", 2)


def test_editing_after_approval_voids_it(flow):
    flow.to("approved")
    revised = flow.revise(EDITED)
    assert (revised.json["status"], revised.json["approved_revision"]) == ("draft", None)
    assert flow.step("publish").status_code == 409


def test_every_step_appends_one_event_with_the_current_hash(flow, lh):
    flow.to("rejected")
    flow.revise(EDITED)
    flow.step("submit")
    flow.step("approve", lh)
    flow.step("publish")
    flow.step("retract", reason="Superseded.")
    db.session.rollback()
    recorded = response_events(flow.id)
    assert [kind for kind, _data in recorded] == [
        "response_drafted",
        "response_submitted",
        "response_rejected",
        "response_revised",
        "response_submitted",
        "response_approved",
        "response_published",
        "response_retracted",
    ]
    assert [data["revision"] for _kind, data in recorded] == [1, 1, 1, 2, 2, 2, 2, 2]
    hashes = {1: sha(FREE), 2: sha(EDITED)}
    assert all(data["revision_hash"] == hashes[data["revision"]] for _kind, data in recorded)
    assert verify_chain().ok


def test_get_shows_revisions_and_reviews(flow, lh):
    flow.to("rejected")
    flow.revise(EDITED)
    flow.step("submit")
    flow.step("approve", lh, comment="OK.")
    shown = flow.get().json
    assert [(r["number"], r["hash"], r["body"]) for r in shown["revisions"]] == [
        (1, sha(FREE), FREE),
        (2, sha(EDITED), EDITED),
    ]
    assert [(r["revision"], r["decision"], r["comment"]) for r in shown["reviews"]] == [
        (1, "rejected", "Too vague."),
        (2, "approved", "OK."),
    ]
    db.session.rollback()
    assert len(db.session.get(Response, flow.id).reviews) == 2


def test_review_queue_puts_the_most_severe_incident_first(olga, lena, clock):
    def pending(severity):
        incident = incidents.open_incident(
            actor=olga, title=f"Sev {severity}", severity=severity, playbook="it-provider-outage-en"
        )
        response = service.draft_response(incident.id, actor=olga, channel="x", body=FREE)
        service.submit_response(response.id, actor=olga)
        return response.id

    minor = pending(3)
    clock.advance(minutes=30)
    crisis = pending(1)
    assert [response.id for response, _incident in queries.review_queue(actor=lena)] == [
        crisis,
        minor,
    ]


def test_review_rows_are_bound_to_the_revision(flow, lh):
    flow.to("approved")
    db.session.rollback()
    review = db.session.scalars(db.select(Review)).one()
    assert (review.response_id, review.revision, review.decision) == (flow.id, 1, "approved")


def test_patch_of_an_out_of_range_id_is_404(api, oh):
    assert api("patch", "/responses/2147483648", oh, json={"body": EDITED}).status_code == 404


def test_a_rejected_revision_cannot_be_sent_again_unchanged(flow, lh, make_user, token_for):
    flow.to("rejected")
    db.session.rollback()
    before = [kind for kind, _data in response_events(flow.id)]
    reply = flow.step("submit")
    assert reply.status_code == 409 and reason(reply) == "needs_revision"
    assert reply.json["error"]["message"] == "Revise the text before sending it to legal again."
    assert flow.get().json["status"] == "rejected"
    assert flow.step("approve", token_for(make_user("lukas", roles=["legal"]))).status_code == 409
    db.session.rollback()
    assert [kind for kind, _data in response_events(flow.id)] == before


def test_after_a_revision_another_reviewer_approves_and_the_rejection_stays_on_revision_one(
    flow, make_user, token_for
):
    flow.to("rejected")
    assert flow.revise(EDITED).json["revision"] == 2
    assert flow.step("submit").json["status"] == "pending_legal"
    approved = flow.step(
        "approve", token_for(make_user("lukas", roles=["legal"])), comment="Better."
    )
    assert (approved.json["status"], approved.json["approved_revision"]) == ("approved", 2)
    assert [
        (r["revision"], r["decision"], r["reviewer"], r["comment"])
        for r in flow.get().json["reviews"]
    ] == [(1, "rejected", "lena", "Too vague."), (2, "approved", "lukas", "Better.")]


def test_a_revision_legal_rejected_is_never_submitted_even_as_a_draft(flow):
    flow.to("rejected")
    db.session.rollback()
    begin_write()
    db.session.execute(db.update(Response).where(Response.id == flow.id).values(status="draft"))
    db.session.commit()
    reply = flow.step("submit")
    assert reply.status_code == 409 and reason(reply) == "needs_revision"


def test_the_response_page_shows_each_review_beside_its_revision(
    client, flow, make_user, token_for
):
    from ..conftest import login

    flow.to("rejected")
    login(client, "olga")
    page = client.get(f"/responses/{flow.id}").get_data(as_text=True)
    assert ">Send to legal<" not in page
    assert "Revise the text below; the new revision can then go to legal again." in page
    # the reason stands above the text it is about, and the revise form is open
    assert page.index("Too vague.") < page.index('id="response-text"')
    assert '<details class="mb-3" id="revise" open>' in page
    flow.revise(EDITED)
    flow.step("submit")
    flow.step("approve", token_for(make_user("lukas", roles=["legal"])), comment="Better.")
    page = client.get(f"/responses/{flow.id}").get_data(as_text=True)
    first = page[page.index('data-revision="1"') : page.index('data-revision="2"')]
    second = page[
        page.index('data-revision="2"') : page.index("</section>", page.index('data-revision="2"'))
    ]
    assert 'data-review="rejected"' in first and "Too vague." in first and "approved" not in first
    assert 'data-review="approved"' in second and "Better." in second and "Too vague." not in second
