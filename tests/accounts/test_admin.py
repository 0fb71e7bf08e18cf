"""Administrators list, create, deactivate users and set roles; nobody else may."""

import pytest

from crisisdesk.accounts import service
from crisisdesk.accounts.models import User
from crisisdesk.errors import Conflict, Forbidden
from crisisdesk.extensions import db

from ..conftest import login


@pytest.mark.parametrize("roles", [["oncall"], ["legal"], ["management"]])
def test_only_admins_reach_admin_pages(client, make_user, roles):
    make_user("olga", roles=roles)
    login(client, "olga")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={"username": "x"}).status_code == 403


def test_admin_creates_user_and_sets_roles(client, make_user):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "lena",
            "display_name": "Lena L.",
            "email": "",
            "password": "a long password",
            "language": "de",
            "roles": ["legal"],
        },
    )
    assert response.status_code == 302
    lena = service.find_user("lena")
    assert lena.roles == ["legal"]
    assert "Lena L." in client.get("/admin/users").get_data(as_text=True)
    response = client.post(f"/admin/users/{lena.id}", data={"roles": ["legal", "management"]})
    assert response.status_code == 302
    db.session.rollback()  # end the read snapshot; reload
    assert service.find_user("lena").roles == ["legal", "management"]


def test_duplicate_username_is_a_form_error(client, make_user):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "ada",
            "display_name": "Ada 2",
            "password": "a long password",
            "language": "de",
            "roles": ["oncall"],
        },
    )
    assert response.status_code == 409
    assert "already taken" in response.get_data(as_text=True)


def test_unknown_role_and_no_role_are_refused(client, make_user):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "x1",
            "display_name": "X",
            "password": "a long password",
            "language": "de",
            "roles": [],
        },
    )
    assert response.status_code == 422
    assert "Choose at least one role." in response.get_data(as_text=True)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "x1",
            "display_name": "X",
            "password": "a long password",
            "language": "de",
            "roles": ["superuser"],
        },
    )
    assert response.status_code == 422
    assert db.session.query(User).count() == 1


def test_deactivate_and_reactivate(client, make_user):
    make_user("ada", roles=["admin"])
    olga = make_user("olga")
    login(client, "ada")
    client.post(f"/admin/users/{olga.id}/active", data={"active": ""})
    db.session.rollback()  # end the read snapshot; reload
    assert not olga.active
    client.post(f"/admin/users/{olga.id}/active", data={"active": "y"})
    db.session.rollback()  # end the read snapshot; reload
    assert olga.active


def test_admin_cannot_lock_themselves_out(app, make_user):
    ada = make_user("ada", roles=["admin"])
    with pytest.raises(Conflict):
        service.set_active(ada.id, False, actor=ada)
    with pytest.raises(Conflict):
        service.set_roles(ada.id, ["oncall"], actor=ada)


def test_service_refuses_non_admin_actor(app, make_user):
    olga = make_user("olga", roles=["oncall"])
    with pytest.raises(Forbidden):
        service.create_user("x1", password="a long password", roles=["oncall"], actor=olga)
    with pytest.raises(Forbidden):
        service.set_roles(olga.id, ["admin"], actor=olga)
