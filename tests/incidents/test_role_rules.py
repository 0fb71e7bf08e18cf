"""Who may hold and assign incident roles (roles.ROLE_RULES),
taking over the lead, for the API and the room alike.
"""

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import roles
from crisisdesk.incidents.models import Incident, RoleAssignment
from crisisdesk.library.content import INCIDENT_ROLES

from ..conftest import login
from .conftest import API, OPENED, events, kinds, last_data


@pytest.fixture
def incident(open_one):
    """Led by olga (oncall), who opened it."""
    return open_one(severity=1, summary="Fake TAN SMS")


@pytest.fixture
def people(make_user, token_for):
    """One user per desk role besides olga, with API headers."""
    users = {
        "sam": make_user("sam", roles=["oncall"]),
        "lena": make_user("lena", roles=["legal"]),
        "max": make_user("max", roles=["management"]),
        "ada": make_user("ada", roles=["admin"]),
    }
    return {name: {"user": user, "headers": token_for(user)} for name, user in users.items()}


def put_role(client, incident_id, role, username, headers):
    return client.put(f"{API}/{incident_id}/roles/{role}", json={"user": username}, headers=headers)


def take_over(client, incident_id, headers, body=None):
    return client.post(f"{API}/{incident_id}/lead", json=body, headers=headers)


def holders(incident_id) -> dict:
    db.session.rollback()
    rows = db.session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.incident_id == incident_id, RoleAssignment.renounced_at.is_(None)
        )
    )
    return {row.role: row.user.username for row in rows}


def lead_of(incident_id) -> str:
    db.session.rollback()
    return db.session.get(Incident, incident_id).lead.username


def test_the_rule_table_covers_every_incident_role():
    assert tuple(roles.ROLE_RULES) == INCIDENT_ROLES


def test_a_management_sponsor_cannot_make_themselves_lead_or_spokesperson(
    client, incident, olga, people
):
    roles.assign_role(incident.id, "management_sponsor", "max", actor=olga)
    max_headers = people["max"]["headers"]
    lead = put_role(client, incident.id, "lead", "max", max_headers)
    assert lead.status_code == 403 and lead.json["error"]["reason"] == "use_take_over"
    assert "Take over lead" in lead.json["error"]["message"]
    spokesperson = put_role(client, incident.id, "spokesperson", "max", max_headers)
    assert (
        spokesperson.status_code == 403 and spokesperson.json["error"]["reason"] == "not_assigner"
    )
    assert holders(incident.id) == {"lead": "olga", "management_sponsor": "max"}
    assert kinds(incident.id) == [*OPENED, "role_assigned"]


def test_a_management_sponsor_cannot_do_it_through_the_room_form_either(
    app, incident, olga, people
):
    roles.assign_role(incident.id, "management_sponsor", "max", actor=olga)
    browser = app.test_client()
    login(browser, "max")
    for role in ("lead", "spokesperson"):
        response = browser.post(
            f"/incidents/{incident.id}/roles", data={"role": role, "user": "max"}
        )
        assert response.status_code == 403
    assert holders(incident.id) == {"lead": "olga", "management_sponsor": "max"}


def test_an_oncall_user_who_does_not_lead_cannot_assign_the_spokesperson(client, incident, people):
    response = put_role(client, incident.id, "spokesperson", "sam", people["sam"]["headers"])
    assert response.status_code == 403 and response.json["error"]["reason"] == "not_assigner"
    assert holders(incident.id) == {"lead": "olga"}


def test_the_lead_cannot_make_a_legal_only_user_spokesperson(
    client, incident, olga, people, token_for
):
    response = put_role(client, incident.id, "spokesperson", "lena", token_for(olga))
    assert response.status_code == 422 and response.json["error"]["field"] == "user"
    assert response.json["error"]["reason"] == "not_holder"
    assert holders(incident.id) == {"lead": "olga"}


def test_a_legal_user_makes_themselves_legal_reviewer(client, incident, people):
    response = put_role(client, incident.id, "legal_reviewer", "lena", people["lena"]["headers"])
    assert response.status_code == 200 and response.json["roles"]["legal_reviewer"] == "lena"
    assert last_data(incident.id, "role_assigned") == {
        "role": "legal_reviewer",
        "user": "lena",
        "previous": None,
    }


def test_a_legal_user_assigns_the_legal_reviewer_through_the_room_form(app, incident, people):
    browser = app.test_client()
    login(browser, "lena")
    response = browser.post(
        f"/incidents/{incident.id}/roles", data={"role": "legal_reviewer", "user": "lena"}
    )
    assert response.status_code == 302
    assert holders(incident.id)["legal_reviewer"] == "lena"


@pytest.mark.parametrize(
    "assigner,role,user,status",
    [
        ("max", "management_sponsor", "max", 200),  # management assigns the sponsor
        ("ada", "management_sponsor", "ada", 200),  # an administrator may hold it
        ("lena", "management_sponsor", "max", 403),
        (
            "sam",
            "scribe",
            "lena",
            200,
        ),  # any oncall user assigns the scribe, any desk role holds it
        ("max", "scribe", "max", 403),
        ("lena", "spokesperson", "sam", 403),
        ("ada", "spokesperson", "sam", 200),
        ("ada", "lead", "sam", 200),  # an administrator hands the lead to someone
        ("ada", "lead", "max", 422),  # … but only to oncall or admin
        ("sam", "lead", "ada", 403),  # only the lead or an administrator hands it over
        ("ada", "legal_reviewer", "sam", 422),
    ],
)
def test_the_rule_table(client, incident, people, assigner, role, user, status):
    response = put_role(client, incident.id, role, user, people[assigner]["headers"])
    assert response.status_code == status
    if status == 200:
        assert holders(incident.id)[role] == user
    else:
        assert role not in holders(incident.id) or role == "lead" and lead_of(incident.id) == "olga"


def test_the_lead_hands_over_to_an_oncall_user_and_then_may_not_take_it_back_by_assigning(
    client, incident, olga, people, token_for
):
    assert put_role(client, incident.id, "lead", "sam", token_for(olga)).status_code == 200
    assert lead_of(incident.id) == "sam"
    refused = put_role(client, incident.id, "lead", "olga", token_for(olga))
    assert refused.status_code == 403 and refused.json["error"]["reason"] == "use_take_over"
    assert lead_of(incident.id) == "sam"


def test_assigning_the_current_holder_again_logs_nothing_and_ends_the_write(incident, olga, people):
    roles.assign_role(incident.id, "scribe", "sam", actor=olga)
    roles.assign_role(incident.id, "scribe", "sam", actor=olga)
    assert (
        not db.session().in_transaction()
    )  # SQLite's write lock is not kept by a change that made none
    assert kinds(incident.id) == [*OPENED, "role_assigned"]


def test_an_oncall_user_takes_over_the_lead(client, incident, people, clock):
    clock.advance(minutes=5)
    response = take_over(
        client, incident.id, people["sam"]["headers"], {"reason": " Olga is off shift "}
    )
    assert response.status_code == 200
    assert (response.json["lead"], response.json["roles"]["lead"]) == ("sam", "sam")
    assert lead_of(incident.id) == "sam"
    taken = events(incident.id, "lead_taken_over")
    assert len(taken) == 1 and kinds(incident.id) == [*OPENED, "lead_taken_over"]
    assert last_data(incident.id, "lead_taken_over") == {
        "role": "lead",
        "user": "sam",
        "previous": "olga",
        "reason": "Olga is off shift",
    }
    rows = db.session.scalars(select(RoleAssignment).order_by(RoleAssignment.id)).all()
    assert [(r.user.username, r.renounced_at) for r in rows] == [
        ("olga", clock.now()),
        ("sam", None),
    ]


def test_taking_over_without_a_body_logs_no_reason(client, incident, people):
    response = client.post(f"{API}/{incident.id}/lead", headers=people["ada"]["headers"])
    assert response.status_code == 200 and response.json["lead"] == "ada"
    assert last_data(incident.id, "lead_taken_over")["reason"] is None


@pytest.mark.parametrize("who", ["max", "lena"])
def test_only_oncall_and_admin_take_over(client, incident, people, who):
    response = take_over(client, incident.id, people[who]["headers"])
    assert response.status_code == 403
    assert lead_of(incident.id) == "olga" and "lead_taken_over" not in kinds(incident.id)


def test_the_lead_cannot_take_over_again(client, incident, olga, token_for):
    response = take_over(client, incident.id, token_for(olga))
    assert response.status_code == 409 and response.json["error"]["reason"] == "already_lead"


@pytest.mark.parametrize(
    "body,field",
    [({"reason": 5}, "reason"), ({"reason": "x" * 501}, "reason"), ({"who": "me"}, "who")],
)
def test_bad_take_over_bodies_are_422(client, incident, people, body, field):
    response = take_over(client, incident.id, people["sam"]["headers"], body)
    assert response.status_code == 422 and response.json["error"]["field"] == field
    assert lead_of(incident.id) == "olga"


def test_the_room_offers_take_over_to_oncall_and_admin_who_do_not_lead(app, incident, people):
    pages = {}
    for name in ("olga", "sam", "ada", "max", "lena"):
        browser = app.test_client()
        login(browser, name)
        pages[name] = browser.get(f"/incidents/{incident.id}").get_data(as_text=True)
    action = f'action="/incidents/{incident.id}/lead"'
    assert {name for name, page in pages.items() if action in page} == {"sam", "ada"}
    assert "Take over lead" in pages["sam"]


def test_take_over_through_the_room(app, incident, people):
    browser = app.test_client()
    login(browser, "sam")
    response = browser.post(f"/incidents/{incident.id}/lead", data={"reason": "night shift"})
    assert response.status_code == 302
    assert lead_of(incident.id) == "sam"
    page = browser.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert f'action="/incidents/{incident.id}/lead"' not in page  # sam leads now
    again = browser.post(f"/incidents/{incident.id}/lead", data={}, follow_redirects=True)
    assert "You already lead this incident." in again.get_data(as_text=True)
    manager = app.test_client()
    login(manager, "max")
    assert manager.post(f"/incidents/{incident.id}/lead", data={}).status_code == 403
    assert lead_of(incident.id) == "sam"


def test_the_room_names_each_person_s_desk_roles_in_the_assign_form(app, incident, people):
    browser = app.test_client()
    login(browser, "olga")
    page = browser.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "(lena) · Legal" in page and "(max) · Management" in page


def test_the_openapi_description_carries_the_rule_table(client):
    spec = client.get("/api/v1/openapi.json").json
    description = spec["paths"]["/incidents/{incident_id}/roles/{role}"]["put"]["description"]
    assert "| incident role | who may hold it | who may assign it |" in description
    assert "| lead | oncall, admin | the current lead, admin |" in description
    assert "| spokesperson | oncall, admin | the current lead, admin |" in description
    assert "| legal_reviewer | legal | the current lead, admin, legal |" in description
    assert (
        "| management_sponsor | management, admin | the current lead, admin, management |"
        in description
    )
    assert "| scribe | any desk role | the current lead, admin, oncall |" in description
    assert "post" in spec["paths"]["/incidents/{incident_id}/lead"]


def test_the_opening_event_carries_the_summary(incident):
    assert last_data(incident.id, "incident_opened")["summary"] == "Fake TAN SMS"


def test_the_readme_shows_the_rule_table_the_desk_enforces():
    from pathlib import Path

    from crisisdesk.incidents.roles import rule_table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "\n".join(rule_table()) in readme
