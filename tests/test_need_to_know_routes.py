"""The "not a member" caller of the route table: a restricted incident on every route."""

import re

from crisisdesk.accounts import tokens
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses

from .conftest import PASSWORD
from .test_route_matrix import VALUES, routes


def test_a_restricted_incident_is_not_found_by_an_outsider_on_every_route(app, make_user):
    """The "not a member" caller: every desk role but admin, and still a 404 on each route of a
    restricted incident, its responses and its steps, on the pages and in the API."""
    olga = make_user("olga", roles=["oncall"])
    outsider = make_user("otto", roles=["oncall", "legal", "management", "compliance"])
    incident = incidents.open_incident(
        actor=olga,
        title="Kundenberater unter Verdacht",
        severity=1,
        playbook="it-provider-outage-en",
        restricted=True,
        restriction_reason="Personalsache",
    )
    draft = responses.draft_response(incident.id, actor=olga, channel="website", body="Text")
    responses.submit_response(draft.id, actor=olga)
    values = {
        **VALUES,
        "incident_id": str(incident.id),
        "response_id": str(draft.id),
        "step_id": str(incident.steps[1].id),
        "item_id": incident.checklist[0].item_key,
        "item_key": incident.checklist[0].item_key,
        "username": "otto",
    }
    headers = {"Authorization": f"Bearer {tokens.create_token(outsider, 't')[1]}"}
    client = app.test_client()
    client.post("/login", data={"username": "otto", "password": PASSWORD})
    seen = []
    for method, rule in sorted(routes(app)):
        if "<int:incident_id>" not in rule and "<int:response_id>" not in rule:
            continue
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: values[m.group(1)], rule)
        api = path.startswith("/api/")
        response = client.open(
            path,
            method=method,
            headers=headers if api else {},
            json={} if api and method != "GET" else None,
        )
        if response.status_code != 404:
            seen.append(f"{method} {rule}: {response.status_code}")
    db.session.remove()
    assert seen == [], "\n".join(seen)
