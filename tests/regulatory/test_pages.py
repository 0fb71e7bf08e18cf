"""The regulatory page, the room's section and the board's deadline strip."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.regulatory import service

from ..conftest import login
from .conftest import MAJOR, berlin

MAJOR_FORM = {
    "met_critical_services": "y",
    "met_clients": "y",
    "value_clients": "40 % of online-banking users",
    "met_reputational": "y",
    "decision": "major",
    "reasons": "Online banking down for most clients",
}


@pytest.fixture
def incident(people, open_at):
    return open_at(berlin(2026, 12, 4, 10, 0))


def _page(client, incident):
    response = client.get(f"/incidents/{incident.id}/regulatory")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_reader_sees_the_assessment_without_its_form(client, incident):
    login(client, "olga")
    page = _page(client, incident)
    assert "not assessed yet" in page and "No clock runs" in page
    assert "Save assessment" not in page and "Record report" not in page


def test_compliance_classifies_through_the_form_and_the_clock_appears(client, incident):
    login(client, "carla")
    client.post("/language", data={"language": "en"})
    response = client.post(f"/incidents/{incident.id}/regulatory", data=MAJOR_FORM)
    assert response.status_code == 302
    page = _page(client, incident)
    assert "major ICT-related incident" in page
    # the rule reads as the criteria's names, not as the stored key
    assert (
        "criteria met: Critical services affected, Clients, counterparts and transactions, "
        "Reputational impact" in page
    )
    assert "critical_services+" not in page
    assert 'data-due="2026-12-04T13:00:00Z"' in page
    assert 'value="40 % of online-banking users"' in page


@pytest.mark.parametrize(
    "form,field_id,message",
    [
        ({"decision": "major", "reasons": "Feels big"}, "decision", "criteria marked as met"),
        ({**MAJOR_FORM, "reasons": ""}, "reasons", "Give the reasons"),
        ({"aware_at": "2026-12-04T08:00"}, "aware_reason", "Say why"),
        ({"aware_at": "tomorrow"}, "aware_at", "Give a date and time"),
        ({"met_clients": "y", "value_clients": "x" * 501}, "value_clients", "500"),
    ],
)
def test_a_refused_assessment_says_why_next_to_the_field_and_keeps_the_input(
    client, incident, form, field_id, message
):
    login(client, "carla")
    client.post("/language", data={"language": "en"})
    response = client.post(f"/incidents/{incident.id}/regulatory", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in page and message in page
    if form.get("reasons"):
        assert form["reasons"] in page
    db.session.rollback()  # read what the request committed, if anything
    assert service.assessment_of(incident.id, actor=incident.opened_by).decision is None


def test_recording_a_report_and_the_late_reasons(client, incident, clock):
    login(client, "carla")
    client.post("/language", data={"language": "en"})
    client.post(f"/incidents/{incident.id}/regulatory", data=MAJOR_FORM)
    clock.freeze(berlin(2026, 12, 4, 15, 0))  # an hour late
    refused = client.post(
        f"/incidents/{incident.id}/regulatory/submissions",
        data={"kind": "dora_initial", "reference": "BAFIN-1"},
    )
    assert refused.status_code == 422
    assert 'id="late_reason-error"' in refused.get_data(as_text=True)
    assert 'value="BAFIN-1"' in refused.get_data(as_text=True)
    made = client.post(
        f"/incidents/{incident.id}/regulatory/submissions",
        data={
            "kind": "dora_initial",
            "reference": "BAFIN-1",
            "late_reason": "Portal down; BaFin told by phone",
        },
    )
    assert made.status_code == 302
    page = _page(client, incident)
    assert "BAFIN-1" in page and "Late because: Portal down" in page
    assert "DORA intermediate report" in page


def test_the_room_and_the_board_show_the_running_clock(client, incident, people):
    service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    login(client, "olga")
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert 'id="regulatory"' in room and "DORA initial notification" in room
    assert 'data-due="2026-12-04T13:00:00Z"' in room
    board = client.get("/").get_data(as_text=True)
    assert 'id="deadlines"' in board and f"{incident.ref}: DORA initial notification" in board


def test_the_board_has_no_strip_without_a_running_clock(client, incident):
    login(client, "olga")
    assert 'id="deadlines"' not in client.get("/").get_data(as_text=True)


def test_the_draft_print_page_and_the_evidence_download(client, incident, people):
    service.update_assessment(
        incident.id, actor=people["carla"], criteria=MAJOR, decision="major", reasons="Outage"
    )
    login(client, "olga")
    page = client.get(f"/incidents/{incident.id}/regulatory/report?kind=initial")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "DRAFT" in text and incident.ref in text
    odd = client.get(f"/incidents/{incident.id}/regulatory/report?kind=weekly")
    assert odd.status_code == 302 and odd.headers["Location"].endswith("kind=initial")
    pack = client.get(f"/incidents/{incident.id}/regulatory/evidence.zip")
    assert pack.status_code == 200 and pack.mimetype == "application/zip"


def test_the_awareness_time_as_shown_counts_as_unchanged(client, people, open_at):
    incident = open_at(berlin(2026, 12, 4, 10, 0, 37))  # detected with seconds the field hides
    login(client, "carla")
    page = _page(client, incident)
    shown = page.split('id="aware_at"')[1].split('value="')[1].split('"')[0]
    assert shown == "2026-12-04T10:00"  # Berlin wall time, whole minutes
    response = client.post(
        f"/incidents/{incident.id}/regulatory", data={**MAJOR_FORM, "aware_at": shown}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert response.headers["Location"].endswith("/regulatory"), response.headers["Location"]
    db.session.rollback()  # read what the request committed
    view = service.assessment_of(incident.id, actor=people["olga"])
    assert view.decision == "major" and view.aware_at == incident.detected_at


def test_the_reputational_evidence_starts_from_what_the_desk_holds(client, incident, people):
    from crisisdesk.incidents import entries

    entries.add_source_link(
        incident.id, "https://zeitung.example/bank-stoerung", actor=people["olga"]
    )
    login(client, "carla")
    client.post("/language", data={"language": "en"})
    page = _page(client, incident)
    evidence = page.split('id="evidence_reputational"')[1].split("</textarea>")[0]
    assert "Coverage and posts (source links): 1" in evidence
    assert "https://zeitung.example/bank-stoerung" in evidence
    assert "Published statements: 0" in evidence
    # what someone wrote stays theirs
    client.post(
        f"/incidents/{incident.id}/regulatory",
        data={"met_reputational": "y", "evidence_reputational": "Regional TV at 19:00"},
    )
    page = _page(client, incident)
    evidence = page.split('id="evidence_reputational"')[1].split("</textarea>")[0]
    assert "Regional TV at 19:00" in evidence and "source links" not in evidence
