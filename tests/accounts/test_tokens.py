"""API tokens expire, are revoked for good with their
user, record their last use, and admins see them all.
"""

import json
from datetime import timedelta

from sqlalchemy import event, select

from crisisdesk.accounts import service, tokens
from crisisdesk.accounts.models import ApiToken
from crisisdesk.extensions import db
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import FIXED_NOW, login


def me(client, secret, address="127.0.0.1"):
    return client.get(
        "/api/v1/me",
        headers={"Authorization": f"Bearer {secret}"},
        environ_base={"REMOTE_ADDR": address},
    )


def reload(token_id):
    db.session.rollback()  # end the read snapshot; reload
    return db.session.get(ApiToken, token_id)


def test_deactivation_revokes_tokens_for_good(client, make_user):
    ada, olga = make_user("ada", roles=["admin"]), make_user("olga")
    row, secret = tokens.create_token(olga, "monitoring")
    assert me(client, secret).status_code == 200
    service.set_active(olga.id, False, actor=ada)
    assert me(client, secret).status_code == 401
    service.set_active(olga.id, True, actor=ada)
    assert me(client, secret).status_code == 401  # reactivation brings no token back
    assert reload(row.id).revoked_at is not None
    data = json.loads(
        db.session.scalar(
            select(TimelineEvent.data).where(TimelineEvent.kind == "user_deactivated")
        )
    )
    assert data["tokens_revoked"] == [row.id]
    _new, fresh = tokens.create_token(olga, "again")
    assert me(client, fresh).status_code == 200


def test_an_expired_token_gets_401_even_when_remembered(client, make_user, clock):
    olga = make_user("olga")
    row, secret = tokens.create_token(olga, "phone", days=30)
    assert row.expires_at == FIXED_NOW + timedelta(days=30)
    assert me(client, secret).status_code == 200
    clock.advance(days=29, hours=23)
    assert me(client, secret).status_code == 200  # remembered under this head from now on
    clock.advance(hours=1)  # no event: only the clock moved
    response = me(client, secret)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthenticated"


def test_tokens_last_90_days_by_default_or_forever_when_asked(client, make_user, clock):
    olga = make_user("olga")
    default, _secret = tokens.create_token(olga, "default")
    forever, secret = tokens.create_token(olga, "forever", days=None)
    assert default.expires_at == FIXED_NOW + timedelta(days=90) and forever.expires_at is None
    clock.advance(days=3000)
    assert me(client, secret).status_code == 200


def test_the_profile_form_offers_the_expiry(client, make_user, clock):
    make_user("olga")
    login(client, "olga")
    page = client.get("/profile/").get_data(as_text=True)
    assert '<option selected value="90">' in page and 'value="never"' in page
    client.post("/profile/tokens", data={"name": "month", "expires": "30"})
    client.post("/profile/tokens", data={"name": "forever", "expires": "never"})
    response = client.post("/profile/tokens", data={"name": "odd", "expires": "7"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    rows = {row.name: row.expires_at for row in db.session.scalars(select(ApiToken))}
    assert rows == {"month": FIXED_NOW + timedelta(days=30), "forever": None}
    page = client.get("/profile/").get_data(as_text=True)
    assert (
        "expires 2026-12-29 10:00:00" in page and "never expires" in page and "never used" in page
    )


def test_cli_token_expiry_options(runner, client, make_user, clock):
    make_user("olga")
    result = runner.invoke(args=["users", "token", "olga", "--days", "7"])
    assert result.exit_code == 0 and "expires 2026-12-06" in result.output
    week = result.output.strip().splitlines()[-1]
    result = runner.invoke(args=["users", "token", "olga", "--no-expiry", "--name", "monitoring"])
    assert result.exit_code == 0 and "never expires" in result.output
    forever = result.output.strip().splitlines()[-1]
    assert (
        runner.invoke(args=["users", "token", "olga", "--days", "7", "--no-expiry"]).exit_code != 0
    )
    assert runner.invoke(args=["users", "token", "olga", "--days", "0"]).exit_code != 0
    clock.advance(days=8)
    assert me(client, week).status_code == 401 and me(client, forever).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(app, client, make_user, clock):
    row, secret = tokens.create_token(make_user("olga"), "monitoring")
    assert reload(row.id).last_used_at is None
    me(client, secret, "10.0.0.1")
    token = reload(row.id)
    assert (token.last_used_at, token.last_used_address) == (FIXED_NOW, "10.0.0.1")
    updates = []

    def count(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE api_token"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        clock.advance(seconds=50)
        me(client, secret, "10.0.0.2")
        assert updates == []  # within the minute: not even an UPDATE is sent
        clock.advance(seconds=20)
        me(client, secret, "10.0.0.2")
        assert len(updates) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    token = reload(row.id)
    assert (token.last_used_at, token.last_used_address) == (
        FIXED_NOW + timedelta(seconds=70),
        "10.0.0.2",
    )


def test_admins_see_every_users_tokens_and_revoke_them(client, make_user, clock):
    make_user("ada", roles=["admin"])
    olga = make_user("olga")
    used, secret = tokens.create_token(olga, "monitoring bot", days=None)
    me(client, secret, "10.7.7.7")
    revoked, _secret = tokens.create_token(olga, "old laptop")
    tokens.revoke_token(revoked.id, actor=olga)
    login(client, "ada")
    page = client.get(f"/admin/users/{olga.id}").get_data(as_text=True)
    assert "monitoring bot" in page and used.prefix in page and "10.7.7.7" in page
    assert "old laptop" in page and page.count("Revoke<span") == 1  # the revoked one has no button
    assert client.post(f"/admin/users/{olga.id}/tokens/{used.id}/revoke").status_code == 302
    assert me(client, secret).status_code == 401
    assert client.post(f"/admin/users/{olga.id + 5}/tokens/{revoked.id}/revoke").status_code == 404
