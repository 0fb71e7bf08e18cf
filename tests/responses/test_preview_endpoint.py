"""POST /incidents/<id>/responses/preview: the draft page's live preview, as JSON."""

import pytest

from crisisdesk.channels import counted_length
from crisisdesk.errors import Forbidden
from crisisdesk.responses import service as responses
from crisisdesk.responses.draft_preview import preview_draft

from ..conftest import csrf_token_from, login, signed_in_client
from .conftest import SOCIAL, VALUES, response_count

JSON = {"Accept": "application/json"}


def url(incident) -> str:
    return f"/incidents/{incident.id}/responses/preview"


def ask(client, incident, channel="x", statement=SOCIAL, **values):
    return client.post(
        url(incident),
        data={"channel": channel, "statement": statement, **values},
        headers=JSON,
    )


def test_a_complete_statement_previews_exactly_what_drafting_posts(
    client, olga, incident, approved
):
    login(client, "olga")
    reply = ask(client, incident, **VALUES)
    assert reply.status_code == 200
    preview = reply.json
    assert preview["errors"] == {}
    assert preview["channel"] == "x" and preview["limit"] == 280
    assert "disruption in online banking" in preview["text"] and "14:30" in preview["text"]
    assert preview["length"] == counted_length("x", preview["text"])
    assert preview["over"] is False and preview["html"] is None
    drafted = responses.draft_response(
        incident.id, actor=olga, channel="x", statement=SOCIAL, values=VALUES
    )
    assert drafted.current.body == preview["text"]


def test_json_input_gives_the_same_preview(client, olga, incident):
    login(client, "olga")
    by_form = ask(client, incident, **VALUES).json
    by_json = client.post(
        url(incident),
        json={"channel": "x", "statement": SOCIAL, "values": VALUES},
        headers=JSON,
    ).json
    assert by_json == by_form


def test_bad_values_get_errors_per_field_and_a_preview_still(client, olga, incident):
    login(client, "olga")
    reply = ask(client, incident, issue="", help_place="online", next_update="half past two")
    assert reply.status_code == 200
    preview = reply.json
    assert set(preview["errors"]) == {"issue", "next_update"}
    assert "What it is about" in preview["errors"]["issue"]  # named by its label
    assert "Next update" in preview["errors"]["next_update"]
    assert "[What it is about]" in preview["text"] and "[Next update]" in preview["text"]
    assert "{{" not in preview["text"]
    assert response_count() == 0  # a preview drafts nothing


def test_a_channel_the_statement_does_not_serve_is_named(client, olga, incident):
    login(client, "olga")
    preview = ask(client, incident, channel="press", **VALUES).json
    assert "channel" in preview["errors"]
    assert preview["channel"] != "press"
    preview = ask(client, incident, channel="carrier-pigeon", **VALUES).json
    assert "channel" in preview["errors"]


@pytest.mark.parametrize(
    "body",
    [
        {"channel": "x", "statement": SOCIAL, "values": ["not", "an", "object"]},
        {"channel": ["x"], "statement": SOCIAL, "values": {"issue": {"deep": 1}}},
        {"channel": "x", "statement": SOCIAL, "values": {"issue": True, "next_update": 7}},
    ],
)
def test_odd_json_never_breaks_it(client, olga, incident, body):
    login(client, "olga")
    reply = client.post(url(incident), json=body, headers=JSON)
    assert reply.status_code == 200
    assert reply.json["errors"]


@pytest.mark.parametrize("body", [b"[1, 2]", b"{not json", b'"text"'])
def test_json_that_is_not_an_object_is_a_400(client, olga, incident, body):
    login(client, "olga")
    reply = client.post(
        url(incident), data=body, headers={**JSON, "Content-Type": "application/json"}
    )
    assert reply.status_code == 400
    assert reply.json["error"]["code"] == "bad_request"


def test_an_sms_is_counted_against_its_limit(client, olga, incident):
    login(client, "olga")
    empty = ask(client, incident, channel="sms", statement="sms-outage-en").json
    assert empty["limit"] == 160 and "[Disrupted service]" in empty["text"]
    full = ask(
        client,
        incident,
        channel="sms",
        statement="sms-outage-en",
        affected="to card payments",
        since="09:15",
    ).json
    assert full["errors"] == {}
    assert "Disruption to card payments" in full["text"] and "[" not in full["text"]
    assert full["length"] == len(full["text"]) <= 160


@pytest.mark.parametrize("statement", ["no-such-statement", "", "../etc/passwd"])
def test_an_unknown_statement_is_a_json_404(client, olga, incident, statement):
    login(client, "olga")
    reply = ask(client, incident, statement=statement)
    assert reply.status_code == 404
    assert reply.json["error"]["code"] == "not_found"
    assert reply.json["error"]["reason"] == "unknown_statement"


def test_an_unknown_incident_is_a_json_404(client, olga, incident):
    login(client, "olga")
    reply = client.post("/incidents/999/responses/preview", data={"statement": SOCIAL})
    assert reply.status_code == 404
    assert "error" in reply.json


def test_signed_out_gets_a_json_401(client, incident):
    reply = ask(client, incident, **VALUES)
    assert reply.status_code == 401
    assert reply.json["error"]["code"] == "unauthenticated"
    assert "text" not in reply.json


def test_a_role_that_may_not_draft_is_refused(client, lena, incident):
    login(client, "lena")
    reply = ask(client, incident, **VALUES)
    assert reply.status_code == 403
    assert reply.json["error"]["code"] == "forbidden"
    assert reply.json["error"]["reason"] == "not_writer"
    assert "text" not in reply.json


@pytest.mark.parametrize("roles_held", [["management"], ["legal", "management"]])
def test_management_may_not_preview_either(client, make_user, incident, roles_held):
    make_user("max", roles=roles_held)
    login(client, "max")
    assert ask(client, incident, **VALUES).status_code == 403


def test_an_admin_may_preview(client, make_user, incident):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    assert ask(client, incident, **VALUES).status_code == 200


def test_the_service_checks_permission_before_the_input(lena, incident):
    with pytest.raises(Forbidden):
        preview_draft(incident.id, actor=lena, statement_slug=None, channel=None, values=None)


def test_without_a_csrf_token_it_is_refused(csrf_app, make_user, clock):
    from crisisdesk.incidents import service as incidents

    olga = make_user("olga", roles=["oncall"])
    incident = incidents.open_incident(
        actor=olga, title="Outage", severity=2, playbook="it-provider-outage-en"
    )
    client = signed_in_client(csrf_app, "olga")
    data = {"channel": "x", "statement": SOCIAL, **VALUES}
    refused = client.post(url(incident), data=data, headers=JSON)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf"
    page = client.get(f"/incidents/{incident.id}/responses/new?statement={SOCIAL}")
    token = csrf_token_from(page.data)
    allowed = client.post(url(incident), data={**data, "csrf_token": token}, headers=JSON)
    assert allowed.status_code == 200 and "14:30" in allowed.json["text"]
    by_header = client.post(
        url(incident),
        json={"channel": "x", "statement": SOCIAL, "values": VALUES},
        headers={**JSON, "X-CSRFToken": token},
    )
    assert by_header.status_code == 200
