"""One error shape: an HTML page for the desk, the JSON envelope for the API."""
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
    cases = {NotFound: (404, "not_found"), Forbidden: (403, "forbidden"),
             Conflict: (409, "conflict"), Invalid: (422, "invalid")}
    for cls, (status, code) in cases.items():
        exc = cls("why", "message", field="severity")
        assert isinstance(exc, DomainError)
        assert (exc.status, exc.code, exc.reason, exc.field) == (status, code, "why", "severity")


def test_crash_is_a_500_page_without_a_traceback(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
