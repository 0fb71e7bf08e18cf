"""The tables the chain speaks of are checked against the
events that recorded them, behind the triggers' back.
"""

import hashlib

from sqlalchemy import func, select, text

from crisisdesk.audit.records import verify_records
from crisisdesk.audit.replay import Ev, response_story
from crisisdesk.audit.report import verify_all
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login
from .attacker import behind_the_guards


def seq_of(kind: str, **data_contains) -> int:
    """The last event of `kind` (whose data contains each given "key":value pair)."""
    query = select(TimelineEvent.seq).where(TimelineEvent.kind == kind)
    for key, value in data_contains.items():
        query = query.where(TimelineEvent.data.contains(f'"{key}":{value},'))
    return db.session.scalar(query.order_by(TimelineEvent.seq.desc()).limit(1))


def test_an_honest_desk_verifies(app, story, clock):
    clock.advance(
        minutes=400 * 24 * 60
    )  # the sign-off expires: the worker may note that on its row
    assert library.record_expired_approvals() == 1
    report = verify_all()
    assert report["ok"] and report["missing_triggers"] == [] and report["records_checked"] > 10
    assert report["checks"] == {"chain": True, "records": True, "triggers": True}


def test_an_edited_revision_text_is_named(app, story):
    behind_the_guards(
        "response_revision",
        "UPDATE response_revision SET body = 'We caused it.' WHERE id = :id",
        id=story["revision"],
    )
    report = verify_records().as_dict()
    assert report["ok"] is False and report["mismatches"] == 1
    assert (
        report["first_bad_event"],
        report["problem"],
        report["table"],
        report["row"],
        report["field"],
    ) == (
        seq_of("response_revised", response=story["free"]),
        "row_differs",
        "response_revision",
        story["revision"],
        "body",
    )


def test_an_edited_text_with_its_hash_recomputed_is_named(app, story):
    forged = "We caused it."
    behind_the_guards(
        "response_revision",
        "UPDATE response_revision SET body = :body, hash = :hash WHERE id = :id",
        body=forged,
        hash=hashlib.sha256(forged.encode()).hexdigest(),
        id=story["revision"],
    )
    report = verify_records().as_dict()
    assert (report["table"], report["row"], report["field"]) == (
        "response_revision",
        story["revision"],
        "hash",
    )


def test_an_edited_approval_comment_is_named(app, story):
    behind_the_guards(
        "response_review",
        "UPDATE response_review SET comment = 'Approved without reservation.' WHERE id = :id",
        id=story["review"],
    )
    report = verify_records().as_dict()
    assert (report["first_bad_event"], report["table"], report["row"], report["field"]) == (
        seq_of("response_approved", response=story["free"]),
        "response_review",
        story["review"],
        "comment",
    )


def test_an_edited_publication_url_is_named(app, story):
    # the response table refuses only DELETE: an UPDATE needs no trigger switched off
    db.session.execute(
        text("UPDATE response SET published_url = 'https://x.com/bank/status/2' WHERE id = :id"),
        {"id": story["free"]},
    )
    db.session.commit()
    report = verify_records().as_dict()
    assert (
        report["first_bad_event"],
        report["problem"],
        report["table"],
        report["row"],
        report["field"],
    ) == (
        seq_of("response_published", response=story["free"]),
        "row_differs",
        "response",
        story["free"],
        "published_url",
    )


def test_an_edited_incident_title_is_named(app, story):
    db.session.execute(
        text("UPDATE incident SET title = 'Nothing happened' WHERE id = :id"),
        {"id": story["incident"]},
    )
    db.session.commit()
    report = verify_records().as_dict()
    assert (report["first_bad_event"], report["table"], report["row"], report["field"]) == (
        seq_of("title_changed"),
        "incident",
        story["incident"],
        "title",
    )


def test_an_edited_review_date_of_a_sign_off_is_named(app, story):
    behind_the_guards(
        "statement_approval",
        "UPDATE statement_approval SET review_by = '2099-12-31' WHERE id = :id",
        id=story["approval"],
    )
    report = verify_records().as_dict()
    assert (report["first_bad_event"], report["table"], report["row"], report["field"]) == (
        seq_of("statement_approved"),
        "statement_approval",
        story["approval"],
        "review_by",
    )


def test_widened_free_placeholders_of_a_sign_off_are_named(app, story):
    behind_the_guards(
        "statement_approval",
        "UPDATE statement_approval SET free_placeholders = :rules WHERE id = :id",
        rules='{"issue": {"pattern": null, "values": []}, '
        '"next_update": {"pattern": null, "values": []}}',
        id=story["approval"],
    )
    report = verify_records().as_dict()
    assert (report["first_bad_event"], report["table"], report["row"], report["field"]) == (
        seq_of("statement_approved"),
        "statement_approval",
        story["approval"],
        "free_placeholders",
    )


def test_an_edited_status_and_retraction_are_named(app, story):
    db.session.execute(
        text("UPDATE response SET status = 'approved', retract_reason = NULL WHERE id = :id"),
        {"id": story["held"]},
    )
    db.session.commit()
    report = verify_records()
    assert report.mismatches == 2 and report.first.field == "status"
    assert report.first.seq == seq_of("response_published", response=story["held"])


def test_a_forged_review_without_event_and_a_removed_revision_are_named(app, story):
    olga = story["olga"].id
    db.session.execute(
        text(
            "INSERT INTO response_review "
            "(response_id, revision, decision, comment, reviewer_id, at) "
            "VALUES (:r, 1, 'approved', '', :u, :at)"
        ),
        {"r": story["held"], "u": olga, "at": "2026-11-29 09:30:00.000000"},
    )
    db.session.commit()
    report = verify_records().as_dict()
    assert (report["problem"], report["table"], report["first_bad_event"]) == (
        "row_without_event",
        "response_review",
        None,
    )
    behind_the_guards(
        "response_revision", "DELETE FROM response_revision WHERE id = :id", id=story["revision"]
    )
    report = verify_records().as_dict()
    assert (
        report["problem"],
        report["table"],
        report["first_bad_event"],
        report["mismatches"],
    ) == ("row_missing", "response_revision", seq_of("response_revised", response=story["free"]), 2)


def test_an_edited_statement_text_is_named(app, story):
    version = db.session.scalar(text("SELECT id FROM content_version ORDER BY id LIMIT 1"))
    behind_the_guards(
        "content_version",
        "UPDATE content_version SET text = text || ' (amended)' WHERE id = :id",
        id=version,
    )
    report = verify_records().as_dict()
    assert (report["table"], report["row"], report["field"]) == ("content_version", version, "text")
    assert db.session.get(TimelineEvent, report["first_bad_event"]).kind == "content_synced"


def test_the_api_the_cli_and_the_dashboard_name_the_table_and_row(app, client, runner, story):
    behind_the_guards(
        "response_revision",
        "UPDATE response_revision SET body = 'We caused it.' WHERE id = :id",
        id=story["revision"],
    )
    report = client.get("/api/v1/audit/verify", headers=story["mh"]).json
    assert report["ok"] is False and report["checks"] == {
        "chain": True,
        "records": False,
        "triggers": True,
    }
    assert (
        report["failed_check"],
        report["table"],
        report["row"],
        report["field"],
        report["problem"],
    ) == ("records", "response_revision", story["revision"], "body", "row_differs")
    assert report["first_bad_event"] == seq_of("response_revised", response=story["free"])
    result = runner.invoke(args=["audit", "verify", "--workers", "1"])
    assert result.exit_code == 1
    assert (
        f"RECORDS DIFFER at event {report['first_bad_event']} (row_differs): response_revision row "
        f"{story['revision']}, field body" in result.output
    )
    login(client, "max")
    client.post("/audit/verify")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "chain intact" not in page and f"response_revision #{story['revision']} body" in page


def test_records_are_read_a_range_of_incidents_at_a_time(app, story, make_user, clock):
    olga = story["olga"]
    for number in range(5):
        incidents.open_incident(
            actor=olga, title=f"Incident {number}", severity=3, playbook="phishing-wave-en"
        )
    assert verify_records(batch_size=2).ok
    last = db.session.scalar(select(func.max(TimelineEvent.incident_id)))
    db.session.execute(text("UPDATE incident SET severity = 4 WHERE id = :id"), {"id": last})
    db.session.commit()
    report = verify_records(batch_size=2)
    assert (report.first.table, report.first.row, report.first.field) == (
        "incident",
        last,
        "severity",
    )
    assert verify_records(batch_size=200).as_dict() == report.as_dict()


def test_a_lapsed_approval_replays_to_a_draft():
    told = response_story(
        [
            Ev(
                1,
                "response_drafted",
                7,
                "olga",
                {"status": "preapproved", "channel": "x", "revision_hash": "h1"},
            ),
            Ev(2, "response_approval_lapsed", 7, "system", {"response": 1}),
        ]
    )
    assert told.state["status"] == ("draft", 2) and told.state["approved_revision"] == (None, 2)
    assert told.revisions == {1: ("h1", "olga", 1)}
