"""The signed-in user comes from memory while the
timeline stands still, and never outlives a change.

Each request here starts with an empty ORM session, as in production, so the kept copy is
merged into the request's session rather than found there already.
"""

import pytest

from crisisdesk.accounts import service as accounts
from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident

from ..conftest import PASSWORD


@pytest.fixture
def fresh_get(client):
    def get(path):
        db.session.remove()  # the test's own objects are not in the request's session
        return client.get(path)

    return get


def _signed_in(client, make_user, **kwargs):
    make_user("olga", language="en", display_name="Olga Ortmann", **kwargs)
    assert client.post("/login", data={"username": "olga", "password": PASSWORD}).status_code == 302


def test_a_kept_user_shows_each_change_at_once(client, make_user, fresh_get):
    _signed_in(client, make_user)
    assert "Olga Ortmann" in fresh_get("/").get_data(as_text=True)
    assert "Olga Ortmann" in fresh_get("/").get_data(as_text=True)  # from memory
    olga = accounts.find_user("olga")
    accounts.update_preferences(actor=olga, display_name="Olga Ortmann-Berg", language="de")
    page = fresh_get("/").get_data(as_text=True)
    assert "Olga Ortmann-Berg" in page and 'lang="de"' in page


@pytest.mark.parametrize("change", ["deactivate", "new_password"])
def test_a_kept_user_is_signed_out_by_the_next_request_after_a_change(
    client, make_user, fresh_get, change
):
    _signed_in(client, make_user)
    assert fresh_get("/").status_code == 200
    olga = accounts.find_user("olga")
    if change == "deactivate":
        admin = make_user("ada", roles=["admin"])
        accounts.set_active(olga.id, False, actor=admin)
    else:
        accounts.change_password(actor=olga, current=PASSWORD, new="another long passphrase 42")
    response = fresh_get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_lost_roles_apply_to_the_next_request(client, make_user, fresh_get):
    _signed_in(client, make_user)
    assert fresh_get("/incidents/new").status_code == 200
    olga = accounts.find_user("olga")
    accounts.set_roles(olga.id, ["legal"], actor=make_user("ada", roles=["admin"]))
    assert fresh_get("/incidents/new").status_code == 403


def test_the_kept_user_can_act_in_the_request_it_joins(client, make_user):
    _signed_in(client, make_user)
    db.session.remove()
    assert client.get("/").status_code == 200  # the copy is kept now
    db.session.remove()
    response = client.post(
        "/incidents/new",
        data={"title": "Phishing wave", "severity": "2", "playbook": "phishing-wave-en"},
    )
    assert response.status_code == 302
    incident = db.session.scalar(db.select(Incident).where(Incident.title == "Phishing wave"))
    assert incident.opened_by.username == "olga" and incident.lead.username == "olga"
