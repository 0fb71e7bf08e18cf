"""DORA report drafts fill what the desk knows; the evidence pack's events recompute as chained."""

import hashlib
import io
import json
import zipfile
from datetime import datetime

import pytest
from sqlalchemy import select

from crisisdesk.accounts import service as accounts
from crisisdesk.errors import Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.regulatory.evidence import evidence_pack
from crisisdesk.regulatory.report import REPORT_KINDS, report_draft
from crisisdesk.regulatory.service import update_assessment
from crisisdesk.regulatory.submissions import record_submission
from crisisdesk.responses import service as responses
from crisisdesk.timeline import verify_chain
from crisisdesk.timeline.chain import canonical_json, event_hash, format_at
from crisisdesk.timeline.models import TimelineEvent

CRITERIA = {
    "critical_services": {"met": True},
    "clients": {"met": True, "value": "40 % of online-banking users", "evidence": "CRM export"},
    "reputational": {"met": True, "value": "press coverage"},
}


@pytest.fixture
def desk(app, make_user, clock):
    olga = make_user("olga", roles=["oncall"])
    clara = make_user("clara", roles=["compliance"])
    lena = make_user("lena", roles=["legal"])
    incident = incidents.open_incident(
        actor=olga,
        title="Online banking down",
        summary="Card payments and log-in fail.",
        severity=1,
        playbook="it-provider-outage-en",
    )
    clock.advance(minutes=30)
    update_assessment(
        incident.id,
        actor=clara,
        criteria=CRITERIA,
        decision="major",
        reasons="Critical services down for many clients, in the press.",
    )
    return {"olga": olga, "clara": clara, "lena": lena, "incident": incident, "clock": clock}


def publish(desk, body: str):
    """A free-text response through legal to published."""
    incident, olga = desk["incident"], desk["olga"]
    draft = responses.draft_response(incident.id, actor=olga, channel="facebook", body=body)
    responses.submit_response(draft.id, actor=olga)
    responses.approve_response(draft.id, actor=desk["lena"])
    return responses.publish_response(draft.id, actor=olga)


def unpack(desk, actor=None) -> tuple[str, dict, str]:
    name, data = evidence_pack(desk["incident"].id, actor=actor or desk["clara"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["evidence.json", "evidence.md"]
        return (
            name,
            json.loads(archive.read("evidence.json")),
            archive.read("evidence.md").decode(),
        )


def test_the_initial_draft_carries_ref_times_and_the_criteria_that_made_it_major(desk):
    incident = desk["incident"]
    draft = report_draft(incident.id, "initial", actor=desk["olga"])
    fields = draft["fields"]
    assert draft["kind"] == "initial" and draft["draft"] is True and draft["notice"]
    assert draft["incident_id"] == incident.id
    assert fields["incident_reference_code"] == incident.ref
    assert fields["submission_type"] == "initial_notification"
    assert fields["detected_at"] == "2026-11-29T09:00:00Z"
    assert fields["classified_at"] == "2026-11-29T09:30:00Z"
    assert fields["description"] == "Online banking down\n\nCard payments and log-in fail."
    triggered = {c["criterion"]: c["value"] for c in fields["classification_criteria"]}
    assert triggered == {
        "critical_services": "",
        "clients": "40 % of online-banking users",
        "reputational": "press coverage",
    }
    assert fields["other_information"].startswith("Critical services down")
    # geography not met: the member states are for a person to give
    for name in (
        "member_states_affected",
        "discovery",
        "third_party_origin",
        "business_continuity_plan_activated",
    ):
        assert name in draft["to_fill"] and name not in fields
    assert "initial_notification_reference" not in fields and "root_cause" not in draft["to_fill"]


def test_member_states_come_from_the_geography_criterion(desk):
    update_assessment(
        desk["incident"].id,
        actor=desk["clara"],
        criteria={"geography": {"met": True, "value": "DE, AT"}},
    )
    draft = report_draft(desk["incident"].id, "initial", actor=desk["olga"])
    assert draft["fields"]["member_states_affected"] == "DE, AT"
    assert "member_states_affected" not in draft["to_fill"]


def test_the_intermediate_draft_names_the_initial_notification_and_what_was_said(desk):
    incident, clock = desk["incident"], desk["clock"]
    before = report_draft(incident.id, "intermediate", actor=desk["olga"])
    assert "initial_notification_reference" in before["to_fill"]
    assert "communication_to_clients" in before["to_fill"]
    clock.advance(minutes=60)
    record_submission(incident.id, actor=desk["clara"], kind="dora_initial", reference="BAFIN-1")
    clock.advance(minutes=10)
    said = publish(desk, "We are working on it.")
    draft = report_draft(incident.id, "intermediate", actor=desk["olga"])
    fields = draft["fields"]
    assert fields["initial_notification_reference"] == "BAFIN-1"
    assert fields["initial_notification_submitted_at"] == "2026-11-29T10:30:00Z"
    assert fields["submission_type"] == "intermediate_report"
    assert fields["impact_by_criterion"]["clients"]["value"] == "40 % of online-banking users"
    assert fields["impact_by_criterion"]["clients"]["evidence"] == "CRM export"
    assert set(fields["impact_by_criterion"]) == {"critical_services", "clients", "reputational"}
    assert fields["communication_to_clients"] == [
        {
            "response": said.id,
            "channel": "facebook",
            "published_at": "2026-11-29T10:40:00Z",
            "url": None,
        }
    ]
    for name in ("incident_type", "threats_and_techniques", "temporary_actions"):
        assert name in draft["to_fill"]
    assert fields["incident_reference_code"] == incident.ref  # the initial fields come too


def test_the_final_draft_names_the_latest_intermediate_report_and_the_resolution(desk):
    incident, clock, clara, olga = desk["incident"], desk["clock"], desk["clara"], desk["olga"]
    record_submission(incident.id, actor=clara, kind="dora_initial", reference="BAFIN-1")
    clock.advance(hours=24)
    record_submission(incident.id, actor=clara, kind="dora_intermediate", reference="BAFIN-2")
    clock.advance(hours=24)
    record_submission(incident.id, actor=clara, kind="dora_intermediate", reference="BAFIN-3")
    unresolved = report_draft(incident.id, "final", actor=olga)
    assert "resolved_at" in unresolved["to_fill"]
    incidents.update_incident(incident.id, actor=olga, status="monitoring")
    clock.advance(minutes=5)
    incidents.update_incident(incident.id, actor=olga, status="resolved")
    clock.advance(minutes=5)
    draft = report_draft(incident.id, "final", actor=olga)
    fields = draft["fields"]
    assert fields["submission_type"] == "final_report"
    assert fields["intermediate_report_reference"] == "BAFIN-3"
    assert fields["resolved_at"] == "2026-12-01T09:35:00Z"
    assert fields["initial_notification_reference"] == "BAFIN-1"
    assert {"root_cause", "lessons_learned"} <= set(draft["to_fill"])


def test_a_major_incident_found_not_major_is_drafted_as_a_reclassification(desk):
    update_assessment(
        desk["incident"].id,
        actor=desk["clara"],
        criteria={"reputational": {"met": False}},
        decision="not_major",
        reasons="Only one threshold met after all.",
    )
    draft = report_draft(desk["incident"].id, "initial", actor=desk["olga"])
    assert draft["fields"]["submission_type"] == "reclassification"


@pytest.mark.parametrize("kind", ["", "Initial", "dora_initial", None, 1])
def test_an_unknown_kind_is_invalid(desk, kind):
    with pytest.raises(Invalid) as refused:
        report_draft(desk["incident"].id, kind, actor=desk["olga"])
    assert (refused.value.reason, refused.value.field) == ("bad_kind", "kind")
    assert REPORT_KINDS == ("initial", "intermediate", "final")


def test_a_user_without_a_role_gets_neither_draft_nor_pack(desk, make_user):
    nobody = accounts.set_roles(make_user("nobody").id, [])
    with pytest.raises(Forbidden):
        report_draft(desk["incident"].id, "initial", actor=nobody)
    with pytest.raises(Forbidden):
        report_draft(desk["incident"].id, "no such kind", actor=nobody)
    with pytest.raises(Forbidden):
        evidence_pack(desk["incident"].id, actor=nobody)


def test_every_event_in_the_pack_recomputes_to_its_hash_and_equals_the_chain(desk):
    incident, clara = desk["incident"], desk["clara"]
    entries.add_source_link(incident.id, "https://news.example/outage", actor=desk["olga"])
    entries.add_note(incident.id, "not evidence for the pack", actor=desk["olga"])
    desk["clock"].advance(minutes=20)
    record_submission(incident.id, actor=clara, kind="dora_initial", reference="BAFIN-1")
    publish(desk, "Wir arbeiten daran – „Störung“.")
    name, pack, _md = unpack(desk, actor=desk["olga"])
    assert name == f"evidence-{incident.ref}.zip"
    events = pack["events"]
    assert [e["kind"] for e in events] == [
        "incident_opened",
        "regulatory_assessed",
        "source_link_added",
        "regulatory_submission_recorded",
        "response_published",
    ]
    rows = {
        row.seq: row
        for row in db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.incident_id == incident.id)
        )
    }
    for event in events:
        # the recipe the pack states, independently of the chain module
        body = canonical_json(
            {
                "actor": event["actor_name"],
                "at": event["at"],
                "data": event["data"],
                "incident_id": event["incident_id"],
                "kind": event["kind"],
                "seq": event["seq"],
            }
        )
        digest = hashlib.sha256((event["prev_hash"] + body).encode()).hexdigest()
        recomputed = event_hash(
            event["prev_hash"],
            event["seq"],
            datetime.fromisoformat(event["at"]),
            event["kind"],
            event["incident_id"],
            event["actor_name"],
            event["data"],
        )
        row = rows[event["seq"]]
        assert digest == recomputed == event["hash"] == row.hash
        assert (event["at"], event["data"], event["prev_hash"]) == (
            format_at(row.at),
            row.data,
            row.prev_hash,
        )
    assert verify_chain().ok


def test_the_pack_holds_assessment_history_clocks_submissions_and_statements(desk):
    incident, clara = desk["incident"], desk["clara"]
    entries.add_source_link(incident.id, "https://news.example/outage", actor=desk["olga"])
    update_assessment(incident.id, actor=clara, reasons="Also: card payments fail.")
    record_submission(
        incident.id, actor=clara, kind="dora_initial", reference="BAFIN-1", text="Sent text."
    )
    said = publish(desk, "Wir arbeiten daran – „Störung“.")
    _name, pack, markdown = unpack(desk)
    assert pack["incident"]["ref"] == incident.ref
    assert pack["assessment"]["decision"] == "major"
    assert pack["assessment"]["reasons"] == "Also: card payments fail."
    assert [h["reasons"] for h in pack["assessment_history"]] == [
        "Critical services down for many clients, in the press.",
        "Also: card payments fail.",
    ]
    assert [(c["kind"], c["status"]) for c in pack["clocks"]] == [
        ("dora_initial", "met"),
        ("dora_intermediate", "running"),
    ]
    [submission] = pack["submissions"]
    assert submission["reference"] == "BAFIN-1"
    assert submission["text_sha256"] == hashlib.sha256(b"Sent text.").hexdigest()
    assert pack["media_evidence"] == [
        {"url": "https://news.example/outage", "added_at": "2026-11-29T09:30:00Z"}
    ]
    [statement] = pack["published_statements"]
    body = said.current.body
    assert statement["response"] == said.id and statement["channel"] == "facebook"
    assert statement["body_sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert statement["body_sha256"] == said.current.hash
    assert incident.ref in markdown and "BAFIN-1" in markdown
    assert statement["body_sha256"] in markdown


def test_the_api_sends_the_pack_as_a_zip_download(client, desk, token_for):
    url = f"/api/v1/incidents/{desk['incident'].id}/evidence-pack"
    got = client.get(url, headers=token_for(desk["olga"]))
    assert got.status_code == 200 and got.mimetype == "application/zip"
    assert f"evidence-{desk['incident'].ref}.zip" in got.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(got.data)).testzip() is None
    draft = client.get(
        f"/api/v1/incidents/{desk['incident'].id}/report-draft?kind=bogus",
        headers=token_for(desk["olga"]),
    )
    assert draft.status_code == 422 and draft.json["error"]["reason"] == "bad_kind"
