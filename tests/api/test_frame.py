"""The API frame: bearer tokens, the error envelope, body limits, the OpenAPI document."""

import pytest

from crisisdesk.accounts import service, tokens


def test_me_with_a_token(client, make_user, token_for):
    user = make_user("olga", roles=["oncall", "admin"], display_name="Olga", language="de")
    response = client.get("/api/v1/me", headers=token_for(user))
    assert response.status_code == 200
    assert response.json == {
        "username": "olga",
        "display_name": "Olga",
        "roles": ["admin", "oncall"],
        "language": "de",
        "timezone": "Europe/Berlin",
    }
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer nope", "Basic b2xnYTp4", "bearer " + "x" * 5000]
)
def test_missing_or_bad_token_is_401(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_deactivated_user_are_401(client, make_user, token_for):
    olga = make_user("olga")
    headers = token_for(olga)
    row = tokens.list_tokens(olga)[0]
    tokens.revoke_token(row.id, actor=olga)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    headers = token_for(olga)
    service.set_active(olga.id, False)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, make_user):
    make_user("olga")
    client.post("/login", data={"username": "olga", "password": "correct horse battery"})
    assert client.get("/api/v1/me").status_code == 401


def test_patch_me(client, make_user, token_for):
    headers = token_for(make_user("olga"))
    response = client.patch(
        "/api/v1/me", json={"language": "en", "timezone": "Europe/Paris"}, headers=headers
    )
    assert response.status_code == 200 and response.json["timezone"] == "Europe/Paris"


@pytest.mark.parametrize(
    "body,status,field",
    [
        (b'{"language": ', 400, None),
        (b"\xff\xfe", 400, None),
        (b"[1, 2]", 422, None),
        (b'{"timezone": "Mars/Base"}', 422, "timezone"),
        (b'{"language": "fr"}', 422, "language"),
        (b'{"language": 5}', 422, "language"),
        (b'{"is_admin": true}', 422, "is_admin"),
        (b'{"display_name": "   "}', 422, "display_name"),
    ],
)
def test_bad_bodies_get_the_error_envelope(client, make_user, token_for, body, status, field):
    headers = {**token_for(make_user("olga")), "Content-Type": "application/json"}
    response = client.patch("/api/v1/me", data=body, headers=headers)
    assert response.status_code == status
    assert set(response.json["error"]) >= {"code", "message"}
    assert response.json["error"].get("field") == field


def test_oversized_body_is_413_json(client, make_user, token_for):
    headers = {**token_for(make_user("olga")), "Content-Type": "application/json"}
    response = client.patch(
        "/api/v1/me", data=b'{"display_name": "' + b"x" * 2_000_000 + b'"}', headers=headers
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_openapi_describes_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = (
                rule.rule[len("/api/v1") :]
                .replace("<int:", "{")
                .replace("<", "{")
                .replace(">", "}")
            )
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((path, method.lower()))
    described = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert served == described


@pytest.mark.parametrize(
    "query, field", [("severty=1", "severty"), ("q=x&status=open&colour=red", "colour")]
)
def test_an_undocumented_query_parameter_is_refused_not_ignored(
    client, make_user, token_for, query, field
):
    # found by the API fuzz: a misspelt filter used to return the unfiltered list
    headers = token_for(make_user("olga"))
    response = client.get(f"/api/v1/incidents?{query}", headers=headers)
    assert response.status_code == 422
    assert response.json["error"] == {
        "code": "invalid",
        "reason": "unknown_parameter",
        "field": field,
        "message": f"Unknown parameter: {field}.",
    }
    assert (
        client.get(
            "/api/v1/incidents?status=open&severity=1&q=x&limit=5", headers=headers
        ).status_code
        == 200
    )


def test_a_search_longer_than_documented_is_refused_not_cut(client, make_user, token_for):
    # found by the API fuzz: q over 100 characters was
    # silently cut, against the documented maxLength
    headers = token_for(make_user("olga"))
    assert client.get("/api/v1/incidents?q=" + "a" * 100, headers=headers).status_code == 200
    response = client.get("/api/v1/incidents?q=" + "a" * 101, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["field"] == "q"
