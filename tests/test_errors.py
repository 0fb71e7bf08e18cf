"""One error shape: an HTML page for the desk, the JSON envelope for the API."""

import pytest

from crisisdesk.errors import Conflict, DomainError, Forbidden, Invalid, NotFound


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "does not exist" in response.get_data(as_text=True)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_on_api_is_json_405(client):
    response = client.delete("/api/v1/openapi.json")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_domain_errors_carry_status_code_reason_and_field():
    cases = {
        NotFound: (404, "not_found"),
        Forbidden: (403, "forbidden"),
        Conflict: (409, "conflict"),
        Invalid: (422, "invalid"),
    }
    for cls, (status, code) in cases.items():
        exc = cls("why", "message", field="severity")
        assert isinstance(exc, DomainError)
        assert (exc.status, exc.code, exc.reason, exc.field) == (status, code, "why", "severity")


def test_a_domain_error_may_name_its_own_code(app):
    from crisisdesk.errors import Unauthenticated

    @app.get("/api/v1/replayed-for-test")
    def replayed():
        raise Unauthenticated("replayed", "Seen before.", code="replayed")

    exc = Unauthenticated("replayed", "Seen before.", code="replayed")
    assert (exc.status, exc.code, exc.reason) == (401, "replayed", "replayed")
    assert (
        Unauthenticated("bad_token", "No.").code == "unauthenticated"
    )  # the class's code otherwise
    from crisisdesk.api import PUBLIC_ENDPOINTS

    PUBLIC_ENDPOINTS.add("replayed")
    response = app.test_client().get("/api/v1/replayed-for-test")
    assert response.status_code == 401
    assert response.json == {"error": {"code": "replayed", "message": "Seen before."}}


def test_crash_is_a_500_page_without_a_traceback(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)


def test_a_failed_statement_still_gets_the_error_page_for_a_signed_in_reader(
    app, client, make_user
):
    """The error page counts the reader's waiting work: never inside the failed transaction."""
    from sqlalchemy import text

    from crisisdesk.extensions import db

    from .conftest import login

    @app.get("/failing-statement")
    def failing_statement():
        db.session.execute(text("SELECT 1 / 0"))  # refused by PostgreSQL; SQLite yields NULL
        db.session.execute(text("SELECT no_such_column FROM user_account"))
        return "unreachable"

    make_user("olga")
    login(client, "olga")
    response = client.get("/failing-statement")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # and the session is usable afterwards


NUL_CASES = [
    ("/incidents/new", {"title": "Outage\x00", "severity": "1"}),
    ("/profile/preferences", {"display_name": "O\x00lga"}),
    ("/login", {"username": "olga", "password": "x\x00"}),
]


@pytest.mark.parametrize("path, form", NUL_CASES)
def test_a_nul_character_in_a_form_is_refused_with_a_page_not_a_500(client, make_user, path, form):
    # found by the form fuzz: PostgreSQL refuses NUL in
    # text, so a post-mortem summary "\x00" was a 500
    make_user("olga")
    client.post("/login", data={"username": "olga", "password": "correct horse battery"})
    response = client.post(path, data=form)
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)


def test_a_nul_character_in_json_or_a_query_is_a_422_naming_the_field(client, make_user, token_for):
    headers = token_for(make_user("olga"))
    response = client.post(
        "/api/v1/incidents",
        headers=headers,
        json={
            "title": "Outage",
            "severity": 1,
            "playbook": "phishing-wave-en",
            "source_links": ["https://example.org/\x00"],
        },
    )
    assert response.status_code == 422
    assert response.json["error"]["reason"] == "nul_character"
    assert response.json["error"]["field"] == "source_links"
    response = client.get("/api/v1/incidents?q=a%00b", headers=headers)
    assert (response.status_code, response.json["error"]["field"]) == (422, "q")
