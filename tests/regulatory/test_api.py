"""The regulatory API: assessment, clocks, reports, drafts, evidence; errors in the envelope."""

import io
import zipfile

import pytest

from .conftest import MAJOR, berlin


@pytest.fixture
def api(client, people, token_for, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    return {
        "client": client,
        "incident": incident,
        "base": f"/api/v1/incidents/{incident.id}",
        "carla": token_for(people["carla"]),
        "olga": token_for(people["olga"]),
    }


def test_an_assessment_through_the_api(api, clock):
    client, base = api["client"], api["base"]
    empty = client.get(f"{base}/assessment", headers=api["olga"]).json
    assert empty["decision"] is None and empty["proposal"] == {
        "decision": "not_major",
        "rule": None,
    }
    assert set(empty["criteria"]) == {
        "critical_services",
        "malicious_access",
        "clients",
        "reputational",
        "duration",
        "geography",
        "data_loss",
        "economic",
    }
    response = client.put(
        f"{base}/assessment",
        json={
            "criteria": MAJOR,
            "decision": "major",
            "reasons": "Outage",
            "personal_data_breach": True,
        },
        headers=api["carla"],
    )
    assert response.status_code == 200
    body = response.json
    assert body["rule"] == "critical_services+clients+reputational"
    assert body["decided_by"] == "carla" and body["decided_at"] == "2026-12-04T09:00:00Z"
    assert body["criteria"]["clients"] == {
        "met": True,
        "value": "40 % of online-banking users",
        "evidence": "",
    }
    clocks = client.get(f"{base}/clocks", headers=api["olga"]).json["items"]
    assert [(c["kind"], c["due_at"], c["status"]) for c in clocks] == [
        ("dora_initial", "2026-12-04T13:00:00Z", "running"),
        ("gdpr_art33", "2026-12-07T09:00:00Z", "running"),
    ]
    clock.freeze(berlin(2026, 12, 4, 12, 0))
    made = client.post(
        f"{base}/submissions",
        json={"kind": "dora_initial", "reference": "B-1"},
        headers=api["carla"],
    )
    assert made.status_code == 201 and made.json["submitted_at"] == "2026-12-04T11:00:00Z"
    listed = client.get(f"{base}/submissions", headers=api["olga"]).json["items"]
    assert [(s["kind"], s["reference"], s["recorded_by"]) for s in listed] == [
        ("dora_initial", "B-1", "carla")
    ]
    everywhere = client.get("/api/v1/clocks", headers=api["olga"]).json["items"]
    assert [(c["ref"], c["kind"]) for c in everywhere] == [
        (api["incident"].ref, "gdpr_art33"),
        (api["incident"].ref, "dora_intermediate"),
    ]


@pytest.mark.parametrize(
    "method,path,body,status,reason,field",
    [
        (
            "put",
            "/assessment",
            {"decision": "major", "reasons": "x"},
            422,
            "contradicts_criteria",
            "decision",
        ),
        ("put", "/assessment", {"aware_at": None}, 422, "null_field", "aware_at"),
        ("put", "/assessment", {"weather": "fine"}, 422, "unknown_field", "weather"),
        (
            "put",
            "/assessment",
            {"aware_at": "2026-12-04T08:00:00Z"},
            422,
            "reason_required",
            "aware_reason",
        ),
        ("post", "/submissions", {"kind": "dora_initial"}, 409, "not_major", "kind"),
        ("post", "/submissions", {}, 422, "bad_kind", "kind"),
        (
            "post",
            "/submissions",
            {"kind": "gdpr_art33", "submitted_at": "soon"},
            422,
            "bad_time",
            "submitted_at",
        ),
    ],
)
def test_refusals_come_in_the_error_envelope(api, method, path, body, status, reason, field):
    response = getattr(api["client"], method)(api["base"] + path, json=body, headers=api["carla"])
    assert response.status_code == status
    assert (response.json["error"]["reason"], response.json["error"].get("field")) == (
        reason,
        field,
    )


def test_only_assessors_write_and_a_missing_incident_is_404(api):
    client, base = api["client"], api["base"]
    assert client.put(f"{base}/assessment", json={}, headers=api["olga"]).status_code == 403
    assert (
        client.post(
            f"{base}/submissions", json={"kind": "dora_initial"}, headers=api["olga"]
        ).status_code
        == 403
    )
    assert client.get("/api/v1/incidents/999/clocks", headers=api["olga"]).status_code == 404
    assert client.get(f"{base}/clocks").status_code == 401


def test_drafts_and_the_evidence_pack(api):
    client, base = api["client"], api["base"]
    client.put(
        f"{base}/assessment",
        json={"criteria": MAJOR, "decision": "major", "reasons": "Outage"},
        headers=api["carla"],
    )
    draft = client.get(f"{base}/report-draft?kind=initial", headers=api["olga"])
    assert draft.status_code == 200 and draft.json["draft"] is True
    assert client.get(f"{base}/report-draft?kind=weekly", headers=api["olga"]).status_code == 422
    assert client.get(f"{base}/report-draft?colour=red", headers=api["olga"]).status_code == 422
    pack = client.get(f"{base}/evidence-pack", headers=api["olga"])
    assert pack.status_code == 200 and pack.mimetype == "application/zip"
    assert "attachment" in pack.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(pack.data)).namelist()
    assert sorted(names) == ["evidence.json", "evidence.md"]


def test_the_openapi_document_describes_every_regulatory_operation(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, methods in {
        "/incidents/{incident_id}/assessment": {"get", "put"},
        "/incidents/{incident_id}/clocks": {"get"},
        "/incidents/{incident_id}/submissions": {"get", "post"},
        "/incidents/{incident_id}/report-draft": {"get"},
        "/incidents/{incident_id}/evidence-pack": {"get"},
        "/clocks": {"get"},
    }.items():
        assert set(paths[path]) == methods, path
