"""Deeply nested JSON is refused with 400 before anything walks it."""

import json
from types import SimpleNamespace

import pytest

from crisisdesk.api import helpers


def nested(kind: str, depth: int) -> str:
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def headers(make_user, token_for):
    return {**token_for(make_user("olga")), "Content-Type": "application/json"}


@pytest.mark.parametrize("depth", [990, 10_000])
@pytest.mark.parametrize("kind", ["array", "object"])
def test_deeply_nested_body_is_400(client, headers, kind, depth):
    for body in (nested(kind, depth), '{"display_name": ' + nested(kind, depth) + "}"):
        response = client.patch("/api/v1/me", data=body, headers=headers)
        assert response.status_code == 400, body[:40]
        assert response.json["error"]["code"] == "bad_request"
        assert response.json["error"]["reason"] == "too_deep"


def test_nesting_up_to_the_limit_reaches_the_service(client, headers):
    inner = nested("array", helpers.MAX_JSON_DEPTH - 1)
    response = client.patch("/api/v1/me", data='{"display_name": ' + inner + "}", headers=headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "display_name"


def test_brackets_inside_strings_do_not_count(client, headers):
    text = "[{" * 17 + '\\"' + "}]" * 17  # more brackets than the limit, all inside a string
    response = client.patch("/api/v1/me", data=json.dumps({"display_name": text}), headers=headers)
    assert response.status_code == 200 and response.json["display_name"] == text


def test_a_recursion_error_of_the_parser_is_400(client, headers, monkeypatch):
    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(
        helpers, "json", SimpleNamespace(loads=too_deep, detect_encoding=json.detect_encoding)
    )
    response = client.patch("/api/v1/me", data='{"language": "en"}', headers=headers)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


@pytest.mark.parametrize("body", ['{"a": "' + '\\"' * 20000 + "[" * 40, '"' + "[" * 50])
def test_malformed_bodies_stay_400(client, headers, body):
    assert client.patch("/api/v1/me", data=body, headers=headers).status_code == 400
