"""Server sessions: signing out ends a session for good,
everywhere if asked; sessions are listed and ended.
"""

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from crisisdesk.accounts import service
from crisisdesk.accounts.devices import describe_device
from crisisdesk.accounts.models import UserSession
from crisisdesk.extensions import db
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import FIXED_NOW, PASSWORD

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)


def sign_in(app, username="olga", address="127.0.0.1", agent=None):
    """A browser of its own, signed in from `address` with User-Agent `agent`."""
    client = app.test_client()
    environ = {"REMOTE_ADDR": address, **({"HTTP_USER_AGENT": agent} if agent else {})}
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD}, environ_base=environ
    )
    assert response.status_code == 302
    return client


def events(kind):
    db.session.rollback()  # end the read snapshot; reload
    rows = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == kind).order_by(TimelineEvent.seq)
    )
    return [json.loads(row.data) for row in rows]


def open_sessions(user_id):
    db.session.rollback()  # end the read snapshot; reload
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    ).all()


def cookie_of(client) -> str:
    return client.get_cookie("crisisdesk_session").value


def test_a_copied_cookie_is_refused_after_sign_out(app, make_user):
    olga = make_user("olga")
    browser = sign_in(app)
    thief = app.test_client()
    thief.set_cookie("crisisdesk_session", cookie_of(browser))
    assert thief.get("/profile/").status_code == 200  # a copy works while the session is open
    assert browser.post("/logout").status_code == 302
    response = thief.get("/profile/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert open_sessions(olga.id) == []
    ended = db.session.scalar(select(UserSession))
    assert ended.end_reason == "signed_out" and ended.ended_at is not None
    assert events("signed_out") == [{"user": "olga", "session": ended.id}]


def test_sign_in_opens_a_session_that_stores_only_a_hash_of_its_secret(app, make_user):
    make_user("olga")
    browser = sign_in(app, address="10.1.2.3", agent=FIREFOX_ANDROID)
    with browser.session_transaction() as cookie:
        user_id, _sep, secret = cookie["_user_id"].partition(":")
    row = db.session.scalar(select(UserSession))
    assert str(row.user_id) == user_id and len(secret) >= 40
    assert (
        row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        and secret not in row.secret_hash
    )
    assert (row.address, row.device) == ("10.1.2.3", "Firefox on Android")
    assert events("signed_in") == [
        {"user": "olga", "session": row.id, "address": "10.1.2.3", "device": "Firefox on Android"}
    ]


def test_a_forged_or_foreign_session_id_signs_nobody_in(app, make_user):
    make_user("olga")
    mallory = make_user("mallory")
    browser = sign_in(app)
    with browser.session_transaction() as cookie:
        _user_id, _sep, secret = cookie["_user_id"].partition(":")
    for forged in (f"{mallory.id}:{secret}", "1:", "1:nonsense", f"x:{secret}"):
        other = app.test_client()
        with other.session_transaction() as cookie:
            cookie["_user_id"] = forged
        assert other.get("/profile/").status_code == 302


def test_sign_out_everywhere_ends_every_session_this_one_included(app, make_user):
    olga = make_user("olga")
    phone, laptop = sign_in(app, agent=FIREFOX_ANDROID), sign_in(app, agent=SAFARI_MAC)
    ids = sorted(row.id for row in open_sessions(olga.id))
    response = laptop.post("/profile/sessions/end-all")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert phone.get("/profile/").status_code == 302
    assert laptop.get("/profile/").status_code == 302
    assert open_sessions(olga.id) == []
    assert events("sessions_ended") == [
        {"user": "olga", "sessions": ids, "reason": "signed_out_all"}
    ]


def test_ending_one_other_session_leaves_this_one(app, make_user):
    olga = make_user("olga")
    make_user("mallory")
    phone, laptop = sign_in(app, agent=FIREFOX_ANDROID), sign_in(app, agent=SAFARI_MAC)
    sign_in(app, "mallory")
    phone_id = db.session.scalar(
        select(UserSession.id).where(UserSession.device == "Firefox on Android")
    )
    mallory_id = db.session.scalar(select(UserSession.id).where(UserSession.user_id != olga.id))
    assert laptop.post(f"/profile/sessions/{mallory_id}/end").status_code == 404
    assert laptop.post(f"/profile/sessions/{phone_id}/end").status_code == 302
    assert phone.get("/profile/").status_code == 302
    assert laptop.get("/profile/").status_code == 200
    assert [row.device for row in open_sessions(olga.id)] == ["Safari on macOS"]
    assert events("session_ended") == [
        {"user": "olga", "session": phone_id, "reason": "ended_by_user"}
    ]
    assert len(open_sessions(olga.id + 1)) == 1  # mallory's session is untouched


def test_the_profile_lists_open_sessions_in_the_users_time_zone(app, make_user, clock):
    make_user("olga", timezone="Europe/Berlin")
    sign_in(app, address="10.0.0.7", agent=FIREFOX_ANDROID)
    clock.advance(minutes=5)
    laptop = sign_in(app, address="10.0.0.8", agent=SAFARI_MAC)
    sign_in(app).post("/logout")  # an ended session is not listed
    page = laptop.get("/profile/").get_data(as_text=True)
    assert "Firefox on Android" in page and "Safari on macOS" in page
    assert "10.0.0.7" in page and "10.0.0.8" in page
    assert page.count("this device") == 1
    assert (
        "2026-11-29 10:00:00" in page and "2026-11-29 10:05:00" in page
    )  # 09:00 UTC is 10:00 in Berlin
    assert page.count("End this session") == 1 and "Sign out everywhere" in page


def test_last_seen_is_written_at_most_once_a_minute(app, make_user, clock):
    olga = make_user("olga")
    browser = sign_in(app, address="10.0.0.1")
    clock.advance(seconds=30)
    browser.get("/", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    [row] = open_sessions(olga.id)
    assert (row.last_seen_at, row.address) == (FIXED_NOW, "10.0.0.1")
    clock.advance(seconds=40)
    browser.get("/", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    [row] = open_sessions(olga.id)
    assert (row.last_seen_at, row.address) == (FIXED_NOW + timedelta(seconds=70), "10.0.0.2")


def test_the_signed_in_user_comes_from_memory_while_nothing_changes(app, make_user, clock):
    make_user("olga")
    browser = sign_in(app)
    assert browser.get("/notifications").status_code == 200
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert browser.get("/notifications").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert not [sql for sql in statements if "user_session" in sql or "FROM user_account" in sql]


def test_a_session_ends_by_itself_after_its_lifetime(app, make_user, clock):
    make_user("olga")
    browser = sign_in(app)
    clock.advance(hours=11, minutes=59)
    assert browser.get("/profile/").status_code == 200
    clock.advance(minutes=2)
    assert browser.get("/profile/").status_code == 302


def test_a_password_change_ends_the_other_sessions_only(app, make_user):
    olga = make_user("olga")
    phone, laptop = sign_in(app, agent=FIREFOX_ANDROID), sign_in(app, agent=SAFARI_MAC)
    response = laptop.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": "another long passphrase 42"},
    )
    assert response.status_code == 302
    assert laptop.get("/profile/").status_code == 200
    assert phone.get("/profile/").status_code == 302
    [kept] = open_sessions(olga.id)
    assert kept.device == "Safari on macOS"
    phone_id = db.session.scalar(
        select(UserSession.id).where(UserSession.device == "Firefox on Android")
    )
    assert events("password_changed") == [{"user": "olga", "sessions_ended": [phone_id]}]


def test_deactivation_ends_every_session_in_one_event(app, make_user):
    ada, olga = make_user("ada", roles=["admin"]), make_user("olga")
    phone, laptop = sign_in(app), sign_in(app)
    ids = sorted(row.id for row in open_sessions(olga.id))
    before = db.session.scalar(select(db.func.count()).select_from(TimelineEvent))
    service.set_active(olga.id, False, actor=ada)
    assert db.session.scalar(select(db.func.count()).select_from(TimelineEvent)) == before + 1
    assert events("user_deactivated")[0]["sessions_ended"] == ids
    service.set_active(olga.id, True, actor=ada)
    assert phone.get("/profile/").status_code == 302 and laptop.get("/profile/").status_code == 302


def test_admins_see_and_end_a_users_sessions(app, make_user):
    make_user("ada", roles=["admin"])
    olga = make_user("olga")
    phone, laptop = (
        sign_in(app, agent=FIREFOX_ANDROID),
        sign_in(app, address="10.9.9.9", agent=SAFARI_MAC),
    )
    admin = sign_in(app, "ada")
    page = admin.get(f"/admin/users/{olga.id}").get_data(as_text=True)
    assert "Firefox on Android" in page and "Safari on macOS" in page and "10.9.9.9" in page
    phone_id = db.session.scalar(
        select(UserSession.id).where(UserSession.device == "Firefox on Android")
    )
    assert admin.post(f"/admin/users/{olga.id}/sessions/{phone_id}/end").status_code == 302
    assert phone.get("/profile/").status_code == 302 and laptop.get("/profile/").status_code == 200
    assert events("session_ended") == [
        {"user": "olga", "session": phone_id, "reason": "ended_by_admin"}
    ]
    assert admin.post(f"/admin/users/{olga.id}/sessions/end-all").status_code == 302
    assert laptop.get("/profile/").status_code == 302
    assert admin.get("/profile/").status_code == 200  # the admin's own session is not touched
    assert (
        admin.post(f"/admin/users/{olga.id + 1}/sessions/{phone_id}/end").status_code == 404
    )  # not theirs
    assert events("sessions_ended")[0]["reason"] == "ended_by_admin"


@pytest.mark.parametrize(
    "agent,expected",
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (SAFARI_MAC, "Safari on macOS"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
            "Chrome on iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("curl/8.5.0", "curl"),
        ("", ""),
        ("\x00" * 2000, ""),
    ],
)
def test_device_descriptions(agent, expected):
    assert describe_device(agent) == expected
