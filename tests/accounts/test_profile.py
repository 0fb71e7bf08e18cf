"""The profile page: preferences, password, API tokens."""

import hashlib

from sqlalchemy import select

from crisisdesk.accounts.models import ApiToken
from crisisdesk.extensions import db

from ..conftest import PASSWORD, login


def test_preferences_are_saved_and_validated(client, make_user):
    user = make_user("olga")
    login(client, "olga")
    response = client.post(
        "/profile/preferences",
        data={
            "display_name": "Olga",
            "email": "o@bank.example",
            "language": "en",
            "timezone": "Europe/Vienna",
        },
    )
    assert response.status_code == 302
    db.session.rollback()  # end the read snapshot; reload
    assert (user.timezone, user.email, user.language) == ("Europe/Vienna", "o@bank.example", "en")
    response = client.post(
        "/profile/preferences",
        data={"display_name": "Olga", "email": "", "language": "xx", "timezone": "Mars/Base"},
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_password_change_checks_current_password(client, make_user):
    make_user("olga")
    login(client, "olga")
    response = client.post(
        "/profile/password",
        data={"current_password": "wrong one!", "new_password": "another long one"},
    )
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "new_password": "short"}
    )
    assert "at least 12 characters" in response.get_data(as_text=True)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "new_password": "another long one"}
    )
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200  # this session carries on
    client.post("/logout")
    assert login(client, "olga", "another long one").status_code == 302


def test_token_is_shown_once_and_stored_hashed(client, make_user):
    make_user("olga")
    login(client, "olga")
    page = client.post("/profile/tokens", data={"name": "monitoring"}).get_data(as_text=True)
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("cd_") and len(secret) > 40
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/profile/").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).json["username"] == "olga"
    assert client.post(f"/profile/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(app, make_user, token_for):
    make_user("olga")
    mallory = make_user("mallory")
    token_for(mallory)
    row = db.session.scalar(select(ApiToken))
    client = app.test_client()
    login(client, "olga")
    assert client.post(f"/profile/tokens/{row.id}/revoke").status_code == 404
    db.session.rollback()  # end the read snapshot; reload
    assert row.revoked_at is None
