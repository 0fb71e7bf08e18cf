"""Guessing is refused per address and per (account,
address); failures from many addresses only slow the account.
"""

import json

import pytest
from sqlalchemy import select

from crisisdesk.accounts import signin
from crisisdesk.extensions import db
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import PASSWORD


@pytest.fixture
def pauses(monkeypatch):
    """The waits sign-in asked for, instead of sleeping;
    each checks no transaction is held meanwhile.
    """
    asked = []

    def pause(seconds):
        assert not db.session().in_transaction(), (
            "sign-in must not hold a transaction (or a lock) while waiting"
        )
        asked.append(seconds)

    monkeypatch.setattr(signin, "pause", pause)
    return asked


def attempt(app, address, password=PASSWORD, username="olga"):
    client = app.test_client()
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def event_data(kind):
    db.session.rollback()  # end the read snapshot; reload
    rows = db.session.scalars(
        select(TimelineEvent.data).where(TimelineEvent.kind == kind).order_by(TimelineEvent.seq)
    )
    return [json.loads(row) for row in rows]


def test_failures_from_many_addresses_slow_the_account_but_the_owner_signs_in(
    app, make_user, pauses, clock
):
    make_user("olga")
    for number in range(1, 6):
        assert attempt(app, f"10.0.0.{number}", "wrong password").status_code == 422
    assert pauses == []  # four failures cost nothing; the fifth reaches the limit
    assert attempt(app, "10.0.0.6").status_code == 302  # the owner, from a sixth address
    assert pauses == [0.25]
    assert attempt(app, "10.0.0.7", "wrong password").status_code == 422
    assert (
        attempt(app, "10.0.0.1").status_code == 302
    )  # one failure there: far below the pair's limit
    assert pauses == [0.25, 0.25, 0.5]
    assert [data.get("slowed_s") for data in event_data("signed_in")] == [0.25, 0.5]
    assert event_data("login_failed")[-1]["slowed_s"] == 0.25
    assert event_data("login_throttled") == []
    clock.advance(minutes=16)  # the window has passed: no more waiting
    assert attempt(app, "10.0.0.8").status_code == 302
    assert pauses == [0.25, 0.25, 0.5]


def test_the_slow_down_grows_to_its_cap(app, make_user, pauses):
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=2, LOGIN_MAX_DELAY_SECONDS=1.0)
    make_user("olga")
    for number in range(6):
        attempt(app, f"10.1.0.{number}", "wrong password")
    assert pauses == [0.25, 0.5, 1.0, 1.0]
    assert attempt(app, "10.1.1.1").status_code == 302
    assert pauses[-1] == 1.0


@pytest.mark.parametrize(
    "failures,expected",
    [(0, 0), (4, 0), (5, 0.25), (6, 0.5), (7, 1.0), (8, 2.0), (9, 4.0), (10, 4.0), (10_000, 4.0)],
)
def test_login_delay(failures, expected):
    assert signin.login_delay(failures, allowed=5, longest=4.0) == expected


def test_the_pair_limit_refuses_even_the_right_password_from_that_address(app, make_user, pauses):
    make_user("olga")
    for _ in range(5):
        assert attempt(app, "10.0.0.1", "wrong password").status_code == 422
    response = attempt(app, "10.0.0.1")
    assert response.status_code == 429 and "Too many failed sign-ins" in response.get_data(
        as_text=True
    )
    assert event_data("login_throttled")[-1] == {
        "user": "olga",
        "address": "10.0.0.1",
        "limit": "account_address",
    }
    assert attempt(app, "10.0.0.2").status_code == 302  # elsewhere the owner gets in, slowed
    assert pauses == [0.25]


def test_the_address_limit_refuses_every_account_from_that_address(app, make_user, pauses):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    make_user("olga")
    for name in ("a1", "a2", "a3", "a4"):
        attempt(app, "10.0.0.9", "guess password", username=name)
    assert attempt(app, "10.0.0.9").status_code == 429
    assert event_data("login_throttled")[-1]["limit"] == "address"
    assert attempt(app, "10.9.8.7").status_code == 302
    assert pauses == []
