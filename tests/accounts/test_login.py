"""Signing in and out: credentials, throttling, safe redirects, cookies, CSRF, session end."""

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import PASSWORD, csrf_token_from, login


def kinds():
    return db.session.scalars(select(TimelineEvent.kind).order_by(TimelineEvent.seq)).all()


def test_sign_in_and_out(client, make_user):
    make_user("olga", roles=["oncall"], display_name="Olga O.")
    response = login(client, "olga")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Olga O." in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_username_is_case_insensitive(client, make_user):
    make_user("olga")
    assert login(client, "  OLGA ").status_code == 302


@pytest.mark.parametrize(
    "username,password", [("olga", "wrong password"), ("nobody", PASSWORD), ("", "")]
)
def test_bad_credentials_get_one_clear_message(client, make_user, username, password):
    make_user("olga")
    response = login(client, username, password)
    assert response.status_code in (400, 422)
    assert client.get("/").status_code == 302
    if username:
        assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, make_user):
    from crisisdesk.accounts import service

    user = make_user("olga")
    service.set_active(user.id, False)
    assert login(client, "olga").status_code == 422


def test_throttled_after_five_failures_per_account(client, make_user, clock):
    make_user("olga")
    for _ in range(5):
        assert login(client, "olga", "wrong password").status_code == 422
    response = login(client, "olga")  # even the right password waits now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert kinds().count("login_failed") == 5 and "login_throttled" in kinds()
    clock.advance(minutes=16)
    assert login(client, "olga").status_code == 302


def test_throttled_per_address_across_accounts(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    make_user("olga")
    for name in ("a1", "a2", "a3", "a4"):
        login(client, name, "guess password")
    assert login(client, "olga").status_code == 429
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "olga", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/profile/", "/profile/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_next_only_redirects_within_the_site(client, make_user, target, expected):
    make_user("olga")
    response = client.post(
        "/login", query_string={"next": target}, data={"username": "olga", "password": PASSWORD}
    )
    assert response.headers["Location"] == expected


def test_login_required_pages_send_to_login_with_next(client):
    response = client.get("/profile/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_session_cookie_flags(client, make_user):
    make_user("olga")
    cookie = login(client, "olga").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, make_user):
    make_user("olga")
    response = client.post(
        "/login", data={"username": "olga", "password": PASSWORD}, base_url="https://localhost"
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_post_without_csrf_token_is_refused(csrf_app, make_user):
    make_user("olga")
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "olga", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").data)
    response = client.post(
        "/login", data={"username": "olga", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_password_change_ends_other_sessions(app, make_user):
    from crisisdesk.accounts import service

    user = make_user("olga")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "olga")
    login(laptop, "olga")
    service.change_password(actor=user, current=PASSWORD, new="a new long password")
    assert phone.get("/profile/").status_code == 302
    assert laptop.get("/profile/").status_code == 302


def test_deactivation_ends_the_session(client, make_user):
    from crisisdesk.accounts import service

    user = make_user("olga")
    login(client, "olga")
    assert client.get("/profile/").status_code == 200
    service.set_active(user.id, False)
    assert client.get("/profile/").status_code == 302


def test_tampered_session_cookie_is_ignored(client, make_user):
    make_user("olga")
    login(client, "olga")
    client.set_cookie("crisisdesk_session", "not-a-valid-signed-cookie")
    assert client.get("/profile/").status_code == 302


def test_german_is_the_default_without_a_browser_preference(app):
    page = (
        app.test_client()
        .get("/login", environ_base={"HTTP_ACCEPT_LANGUAGE": ""})
        .get_data(as_text=True)
    )
    assert "Anmelden" in page and 'lang="de"' in page


def test_language_switch_for_anonymous_and_signed_in(client, make_user):
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    client.post("/language", data={"language": "de", "next": "/login"})
    assert "Anmelden" in client.get("/login").get_data(as_text=True)
    user = make_user("olga", language="en")
    login(client, "olga")
    client.post("/language", data={"language": "de", "next": "/"})
    db.session.rollback()  # end the read snapshot; reload
    assert user.language == "de"
    assert "profile_updated" in kinds()
