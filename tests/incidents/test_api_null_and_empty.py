"""A null in a body and an empty query parameter are wrong values, never "not sent"."""

import pytest

from .conftest import API, kinds


@pytest.mark.parametrize("field", ["title", "summary", "severity", "status"])
def test_patch_with_null_is_422_and_changes_nothing(client, olga, token_for, open_one, field):
    incident = open_one(title="Phishing wave")
    before = kinds(incident.id)
    response = client.patch(f"{API}/{incident.id}", json={field: None}, headers=token_for(olga))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert response.json["error"]["field"] == field
    assert kinds(incident.id) == before


def test_take_over_reason_may_be_null(client, make_user, token_for, open_one):
    incident = open_one()
    nina = make_user("nina", roles=["oncall"])
    response = client.post(
        f"{API}/{incident.id}/lead", json={"reason": None}, headers=token_for(nina)
    )
    assert response.status_code == 200
    assert response.json["lead"] == "nina"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/playbooks?language=",
        "/api/v1/statements?language=",
        "/api/v1/incidents?status=",
        "/api/v1/incidents?severity=",
        "/api/v1/incidents?limit=",
    ],
)
def test_empty_query_parameter_is_422(client, olga, token_for, url):
    response = client.get(url, headers=token_for(olga))
    assert response.status_code == 422
    assert response.json["error"]["field"] == url.rsplit("?", 1)[1].rstrip("=")


def test_empty_after_on_the_timeline_is_422(client, olga, token_for, open_one):
    incident = open_one()
    response = client.get(f"{API}/{incident.id}/timeline?after=", headers=token_for(olga))
    assert response.status_code == 422
    assert response.json["error"]["field"] == "after"
