"""A closed incident is frozen; resolving or closing cancels
open escalation steps and the worker leaves them be.
"""

import threading
import time

import pytest
from sqlalchemy import event, select, text

from crisisdesk.extensions import db
from crisisdesk.incidents import entries, escalation, roles, service
from crisisdesk.incidents.models import EscalationStep, Incident
from crisisdesk.review import service as review

from ..conftest import login
from .conftest import API, events, kinds, last_data


@pytest.fixture
def incident(open_one):
    """Led by olga, severity 1: five escalation steps (15 to 120 minutes)."""
    return open_one(severity=1)


def close(incident_id, actor):
    for status in ("monitoring", "resolved"):
        service.update_incident(incident_id, actor=actor, status=status)
    review.update_postmortem(incident_id, actor=actor, summary="Handled within the hour.")
    service.update_incident(incident_id, actor=actor, status="closed")


def steps(incident_id) -> dict[int, EscalationStep]:
    db.session.rollback()
    query = select(EscalationStep).where(EscalationStep.incident_id == incident_id)
    return {step.id: step for step in db.session.scalars(query)}


@pytest.fixture
def closed(incident, olga, make_user):
    make_user("sam", roles=["oncall"])
    close(incident.id, olga)
    return incident


def writes(incident):
    step, item = incident.steps[0].id, incident.checklist[0].item_key
    return {
        "note": ("post", f"{API}/{incident.id}/notes", {"text": "Late note"}),
        "link": ("post", f"{API}/{incident.id}/links", {"url": "https://example.org/late"}),
        "tick": ("post", f"{API}/{incident.id}/checklist/{item}", {"done": True}),
        "ack": ("post", f"{API}/{incident.id}/escalations/{step}/ack", None),
        "assign": ("put", f"{API}/{incident.id}/roles/scribe", {"user": "sam"}),
        "hand_over": ("put", f"{API}/{incident.id}/roles/lead", {"user": "sam"}),
        "patch": ("patch", f"{API}/{incident.id}", {"title": "Renamed"}),
    }


@pytest.mark.parametrize("write", ["note", "link", "tick", "ack", "assign", "hand_over", "patch"])
def test_every_write_on_a_closed_incident_is_409(client, closed, olga, token_for, write):
    before = kinds(closed.id)
    method, url, body = writes(closed)[write]
    response = getattr(client, method)(url, json=body, headers=token_for(olga))
    assert response.status_code == 409
    assert response.json["error"]["reason"] == "closed"
    assert response.json["error"]["message"] == "This incident is closed."
    assert kinds(closed.id) == before


def test_taking_over_a_closed_incident_is_409(client, closed, token_for, make_user):
    response = client.post(
        f"{API}/{closed.id}/lead", headers=token_for(make_user("ada", roles=["admin"]))
    )
    assert response.status_code == 409 and response.json["error"]["reason"] == "closed"
    db.session.rollback()
    assert db.session.get(Incident, closed.id).lead.username == "olga"


@pytest.mark.parametrize(
    "path,data",
    [
        ("notes", {"text": "Late note"}),
        ("links", {"url": "https://example.org/late"}),
        ("checklist/pause-marketing", {"done": "1"}),
        ("roles", {"role": "scribe", "user": "sam"}),
        ("lead", {}),
        ("steps/{step}/ack", {}),
    ],
)
def test_room_actions_on_a_closed_incident_show_the_message(app, closed, path, data):
    browser = app.test_client()
    login(browser, "olga")  # the lead may do all of these on a live incident
    before = kinds(closed.id)
    url = f"/incidents/{closed.id}/" + path.format(step=closed.steps[0].id)
    response = browser.post(url, data=data)
    assert response.status_code == 302
    assert "This incident is closed." in browser.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert kinds(closed.id) == before


def test_the_room_of_a_closed_incident_offers_no_forms_that_can_only_fail(app, closed, make_user):
    make_user("ada", roles=["admin"])
    browser = app.test_client()
    login(browser, "ada")
    page = browser.get(f"/incidents/{closed.id}").get_data(as_text=True)
    assert "This incident is closed" in page
    for action in ("notes", "links", "checklist/", "roles", "lead", "/ack", "responses/new"):
        assert f"/incidents/{closed.id}/{action}" not in page, action
    assert closed.checklist[0].text in page  # the record itself is still shown


def test_the_post_mortem_summary_of_a_closed_incident_cannot_be_emptied(
    client, closed, olga, token_for
):
    url = f"{API}/{closed.id}/postmortem"
    for summary in ("", "   "):
        response = client.put(
            url, json={"summary": summary, "lessons": "Faster legal."}, headers=token_for(olga)
        )
        assert response.status_code == 409
        assert (response.json["error"]["reason"], response.json["error"]["field"]) == (
            "summary_required",
            "summary",
        )
    stored = client.get(url, headers=token_for(olga)).json
    assert (stored["summary"], stored["lessons"]) == ("Handled within the hour.", "")
    kept = client.put(
        url, json={"lessons": "Faster legal."}, headers=token_for(olga)
    )  # no summary: kept
    assert kept.status_code == 200 and kept.json["summary"] == "Handled within the hour."
    assert kept.json["lessons"] == "Faster legal."


def test_the_post_mortem_page_refuses_an_empty_summary_after_closing(app, closed):
    browser = app.test_client()
    login(browser, "olga")
    response = browser.post(
        f"/incidents/{closed.id}/postmortem", data={"summary": "", "lessons": "x"}
    )
    assert response.status_code == 409
    assert "A closed incident&#39;s post-mortem needs a summary." in response.get_data(as_text=True)
    assert review.postmortem_of(closed.id).summary == "Handled within the hour."


def test_resolving_cancels_open_steps_and_the_worker_claims_none_of_them(incident, olga, clock):
    acknowledged = incident.steps[0].id  # the lead step, taken on by olga's opening
    assert incident.steps[0].status == "acknowledged"
    clock.advance(minutes=20)
    notified = [s.id for s in escalation.claim_due_steps()]
    assert notified  # due and mailed before the incident was resolved
    service.update_incident(incident.id, actor=olga, status="monitoring")
    service.update_incident(incident.id, actor=olga, status="resolved")
    after = steps(incident.id)
    cancelled = sorted(i for i in after if i != acknowledged)
    assert {after[i].status for i in cancelled} == {"cancelled"} and after[
        acknowledged
    ].status == "acknowledged"
    assert last_data(incident.id, "status_changed") == {
        "before": "monitoring",
        "after": "resolved",
        "cancelled_steps": cancelled,
    }
    clock.advance(hours=3)  # every step of the plan is long due
    assert escalation.claim_due_steps() == []
    service.update_incident(incident.id, actor=olga, status="open")  # reopening revives nothing
    assert escalation.claim_due_steps() == []
    assert {s.status for i, s in steps(incident.id).items() if i != acknowledged} == {"cancelled"}
    assert len(events(incident.id, "escalation_notified")) == len(notified)


def test_closing_cancels_steps_planned_while_resolved(incident, olga, clock):
    for status in ("monitoring", "resolved"):
        service.update_incident(incident.id, actor=olga, status=status)
    service.update_incident(incident.id, actor=olga, severity=2)  # re-plans: new pending steps
    pending = sorted(i for i, s in steps(incident.id).items() if s.status == "pending")
    assert pending
    clock.advance(hours=3)
    assert escalation.claim_due_steps() == []  # resolved: due, but never claimed
    review.update_postmortem(incident.id, actor=olga, summary="Done.")
    service.update_incident(incident.id, actor=olga, status="closed")
    assert last_data(incident.id, "status_changed")["cancelled_steps"] == pending
    # all but the lead step the opening took on, which stays on record as acknowledged
    assert {i: s.status for i, s in steps(incident.id).items() if s.status != "cancelled"} == {
        incident.steps[0].id: "acknowledged"
    }
    assert escalation.claim_due_steps() == [] and events(kind="escalation_notified") == []


def test_a_step_of_an_incident_resolved_while_the_worker_claims_is_not_claimed(
    incident, olga, clock
):
    """The worker reads the due steps, then the incident
    is resolved, then it claims: the claims must fail.
    """
    clock.advance(hours=3)
    engine, resolved = db.engine, []

    def resolve_meanwhile(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith("SELECT ESCALATION_STEP.ID") and not resolved:
            resolved.append(True)
            # committed by another connection, the way an older
            # version of the desk did it: steps left pending
            with engine.begin() as other:
                other.exec_driver_sql(
                    f"UPDATE incident SET status = 'resolved', status_rank = 2 "
                    f"WHERE id = {incident.id}"
                )

    event.listen(engine, "after_cursor_execute", resolve_meanwhile)
    try:
        assert escalation.claim_due_steps() == []
    finally:
        event.remove(engine, "after_cursor_execute", resolve_meanwhile)
    left = {s.status for i, s in steps(incident.id).items() if i != incident.steps[0].id}
    assert resolved and left == {"pending"}  # the lead step was the opener's already
    assert events(kind="escalation_notified") == []


def test_steps_left_pending_on_a_closed_incident_are_never_claimed(incident, olga, clock):
    close(incident.id, olga)
    db.session.execute(
        text("UPDATE escalation_step SET status = 'pending' WHERE incident_id = :id"),
        {"id": incident.id},
    )  # as an older version of the desk left them
    db.session.commit()
    clock.advance(hours=3)
    assert escalation.claim_due_steps() == []
    assert events(kind="escalation_notified") == []


def test_a_closed_incident_still_takes_post_mortem_edits_from_the_lead(closed, olga):
    review.update_postmortem(closed.id, actor=olga, lessons="Hotline earlier.", summary=None)
    assert review.postmortem_of(closed.id).lessons == "Hotline earlier."
    assert (
        roles.current_holders(db.session.get(Incident, closed.id))["lead"].user.username == "olga"
    )


def test_a_note_racing_a_close_waits_for_it_and_is_refused(app, incident, olga):
    """PostgreSQL: a write reads the status under a
    row lock, so a close committing meanwhile is seen.
    """
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: there is no race to lose")
    service.update_incident(incident.id, actor=olga, status="monitoring")
    service.update_incident(incident.id, actor=olga, status="resolved")
    review.update_postmortem(incident.id, actor=olga, summary="Phishing site taken down.")
    closer = db.engine.connect()
    closing = closer.begin()
    closer.execute(
        text("UPDATE incident SET status = 'closed', status_rank = 3 WHERE id = :id"),
        {"id": incident.id},
    )
    outcome = {}

    def write_note():
        with app.app_context():
            try:
                entries.add_note(incident.id, "Late note", actor=db.session.merge(olga))
                outcome["result"] = "written"
            except Exception as exc:  # noqa: BLE001 - asserted below
                outcome["result"] = getattr(exc, "reason", repr(exc))
            finally:
                db.session.remove()

    writer = threading.Thread(target=write_note)
    writer.start()
    try:
        # wait on the state: the writer queued behind the closer's row lock
        deadline = time.monotonic() + 120  # a guard against hanging, never reached when it works
        with db.engine.connect() as watcher:
            while True:
                waiting = watcher.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()"
                    )
                ).scalar()
                # PostgreSQL keeps one snapshot of pg_stat_activity per transaction: end it, or
                # a first look taken before the writer queued would be all it ever sees
                watcher.rollback()
                if waiting:
                    break
                assert writer.is_alive(), f"the note did not wait for the close: {outcome}"
                assert time.monotonic() < deadline, "the writer never queued behind the close"
        closing.commit()
    finally:
        closer.close()
        writer.join(timeout=30)
    assert outcome == {"result": "closed"}
    assert "note_added" not in kinds(incident.id)
