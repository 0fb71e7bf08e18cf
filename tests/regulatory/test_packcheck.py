"""`flask audit verify-pack`: an evidence pack holds against the chain, a changed one does not."""

import io
import json
import zipfile

import pytest

from crisisdesk.regulatory import service
from crisisdesk.regulatory.evidence import evidence_pack
from crisisdesk.regulatory.submissions import record_submission

from .conftest import MAJOR, berlin


@pytest.fixture
def pack(people, open_at, tmp_path):
    incident = open_at(berlin(2026, 12, 4, 10, 0))
    service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    record_submission(
        incident.id,
        actor=people["carla"],
        kind="dora_initial",
        text="Online banking unavailable since 09:40.",
    )
    _name, raw = evidence_pack(incident.id, actor=people["olga"])
    return raw


def _changed(raw: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        content = json.loads(archive.read("evidence.json"))
    change(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evidence.json", json.dumps(content))
    return out.getvalue()


def _verify(runner, tmp_path, raw):
    path = tmp_path / "pack.zip"
    path.write_bytes(raw)
    return runner.invoke(args=["audit", "verify-pack", str(path)])


def test_a_pack_as_made_holds(runner, tmp_path, pack):
    result = _verify(runner, tmp_path, pack)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def _edit_submission_text(content):
    content["submissions"][0]["text"] = "Online banking unavailable since 11:00."


def _edit_event_data(content):
    event = next(e for e in content["events"] if e["kind"] == "regulatory_assessed")
    event["data"] = event["data"].replace("Outage", "Minor glitch")


def _rehash_event(content):
    # a forger who recomputes the hash still does not have the chain's event
    import hashlib

    from crisisdesk.timeline.chain import hashed_body

    event = next(e for e in content["events"] if e["kind"] == "regulatory_assessed")
    event["data"] = event["data"].replace("Outage", "Minor glitch")
    body = hashed_body(
        event["seq"],
        event["at"],
        event["kind"],
        event["incident_id"],
        event["actor_name"],
        event["data"],
    )
    event["hash"] = hashlib.sha256((event["prev_hash"] + body).encode()).hexdigest()


@pytest.mark.parametrize(
    "change,problem",
    [
        (_edit_submission_text, "text not as its event recorded"),
        (_edit_event_data, "do not give its hash"),
        (_rehash_event, "not the chain's event"),
    ],
)
def test_a_changed_pack_fails_naming_what_changed(runner, tmp_path, pack, change, problem):
    result = _verify(runner, tmp_path, _changed(pack, change))
    assert result.exit_code == 1
    assert problem in result.output


def test_something_else_is_not_a_pack(runner, tmp_path):
    result = _verify(runner, tmp_path, b"PK not really")
    assert result.exit_code == 1 and "not an evidence pack" in result.output
