"""Our own people first: where a playbook says so, publishing outward earlier needs a reason."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library.loader import load_library

from ..conftest import login
from .conftest import response_events

FREE = "We are closing the branch in Musterdorf at the end of March."


@pytest.fixture
def closure(olga, clock):
    """An incident of a playbook that tells staff 10 minutes before the public."""
    return incidents.open_incident(
        actor=olga, title="Branch closure", severity=3, playbook="branch-closure-en"
    )


@pytest.fixture
def approved_response(approved_free):
    """approved_response(incident, channel, audience) → id of a legal-approved free text."""
    return lambda incident, channel, audience: approved_free(incident, channel, audience, FREE)


def publish(api, oh, number, **payload):
    return api("post", f"/responses/{number}/publish", oh, json=payload)


def test_the_shipped_playbooks_that_tell_staff_first_offer_a_text_for_them():
    library = load_library("playbooks")
    ruled = [p for p in library.playbooks.values() if p.internal_first_minutes]
    assert {p.slug for p in ruled} >= {"branch-closure-en", "branch-closure-de", "merger-de"}
    for playbook in ruled:
        audiences = {library.statements[s].audience for s in playbook.statements}
        assert audiences & {"staff", "branches", "service_centre"}, playbook.slug


def test_going_public_before_staff_asks_for_a_reason_and_keeps_it(
    api, oh, closure, approved_response
):
    public = approved_response(closure, "facebook", "public")
    refused = publish(api, oh, public)
    assert refused.status_code == 409
    assert refused.json["error"]["reason"] == "internal_first"
    assert "at least 10 minutes" in refused.json["error"]["message"]
    assert api("get", f"/responses/{public}", oh).json["status"] == "approved"

    taken = publish(api, oh, public, internal_first_reason="The mayor posted it already.")
    assert taken.status_code == 200 and taken.json["status"] == "published"
    db.session.rollback()
    published = dict(response_events(public))["response_published"]
    assert published["internal_first"] == {
        "minutes": 10,
        "told_at": None,
        "reason": "The mayor posted it already.",
    }


def test_staff_told_long_enough_before_lets_the_public_text_go_without_a_reason(
    api, oh, closure, approved_response, clock
):
    staff = approved_response(closure, "intranet", "staff")
    public = approved_response(closure, "x", "public")
    assert publish(api, oh, staff).status_code == 200
    clock.advance(minutes=4)
    early = publish(api, oh, public)
    assert early.status_code == 409
    assert "Staff were told 4 minutes ago" in early.json["error"]["message"]
    clock.advance(minutes=6)
    assert publish(api, oh, public).status_code == 200
    db.session.rollback()
    assert "internal_first" not in dict(response_events(public))["response_published"]


def test_the_rule_holds_only_outward_texts_of_playbooks_that_have_it(
    api, oh, incident, closure, approved_response
):
    assert publish(api, oh, approved_response(closure, "letter", "authorities")).status_code == 200
    assert publish(api, oh, approved_response(closure, "intranet", "branches")).status_code == 200
    # it-provider-outage has no such rule
    assert publish(api, oh, approved_response(incident, "x", "public")).status_code == 200


def test_the_page_warns_asks_for_the_reason_and_the_room_shows_who_was_told_when(
    client, api, oh, closure, approved_response, clock
):
    public = approved_response(closure, "facebook", "public")
    staff = approved_response(closure, "service_script", "service_centre")
    login(client, "olga")
    page = client.get(f"/responses/{public}").get_data(as_text=True)
    assert 'id="internal-first"' in page and 'name="internal_first_reason"' in page
    client.post(f"/responses/{public}/publish", data={})
    assert api("get", f"/responses/{public}", oh).json["status"] == "approved"
    assert publish(api, oh, staff).status_code == 200
    clock.advance(minutes=2)
    done = client.post(
        f"/responses/{public}/publish", data={"internal_first_reason": "Press call at 9:02."}
    )
    assert done.status_code == 302
    assert api("get", f"/responses/{public}", oh).json["status"] == "published"
    room = client.get(f"/incidents/{closure.id}").get_data(as_text=True)
    told = room.split('id="said-per-audience"', 1)[1].split("</dl>", 1)[0]
    assert told.index("Service centre") < told.index("Public")
    assert "Service centre script" in told and "Facebook" in told
