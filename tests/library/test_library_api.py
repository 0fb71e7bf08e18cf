"""GET /playbooks, /playbooks/{slug}, /statements; POST /statements/{slug}/approve."""

import pytest


@pytest.fixture
def legal(make_user, token_for):
    return token_for(make_user("lena", roles=["legal"]))


@pytest.fixture
def oncall(make_user, token_for):
    return token_for(make_user("olga", roles=["oncall"]))


def test_list_playbooks_paginates(client, oncall):
    first = client.get("/api/v1/playbooks?limit=7", headers=oncall).json
    assert len(first["items"]) == 7 and first["next_cursor"]
    seen = [item["slug"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/playbooks?limit=7&cursor={cursor}", headers=oncall).json
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 40 and seen == sorted(seen)
    item = first["items"][0]
    assert set(item) >= {"slug", "title", "version", "default_severity", "statements"}
    assert len(item["version"]) == 64


def test_get_playbook_with_html_checklist_and_escalation(client, oncall):
    body = client.get("/api/v1/playbooks/phishing-wave-de", headers=oncall).json
    assert "<h2>" in body["html"] and "<script" not in body["html"]
    pause = next(item for item in body["checklist"] if item["id"] == "pause-marketing")
    assert set(pause) == {"id", "text", "phase"} and pause["phase"] == "first-15-minutes"
    assert set(body["escalation"]) == {"1", "2", "3", "4"}
    steps = [step for severity in body["escalation"].values() for step in severity]
    assert all(
        set(step)
        == {
            "after_minutes",
            "target_role",
            "action",
            "on_opening",
            "target_duty",
            "repeat_after",
            "fallback_duty",
        }
        for step in steps
    )
    # a step that names a duty says when to move on to the role's holders
    assert all(step["target_duty"] is None or step["repeat_after"] for step in steps)
    # the opening fulfils the minute-0 step (the lead takes over), and no later one
    assert body["escalation"]["1"][0]["on_opening"] is True
    assert all(step["after_minutes"] == 0 for step in steps if step["on_opening"])


def test_unknown_slug_is_404(client, oncall):
    response = client.get("/api/v1/playbooks/nope", headers=oncall)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_statements_show_approval_and_legal_approves(client, legal, oncall):
    listing = client.get("/api/v1/statements?language=de&limit=200", headers=oncall).json["items"]
    holding = next(s for s in listing if s["slug"] == "holding-social-de")
    assert holding["approval"] == {
        "status": "unapproved",
        "approved_by": None,
        "approved_at": None,
        "review_by": None,
        "free_placeholders": [],
        "free_placeholder_rules": {},
    }
    assert {"name": "next_update", "type": "time", "required": True}.items() <= holding[
        "placeholders"
    ][2].items()
    response = client.post(
        "/api/v1/statements/holding-social-de/approve",
        json={"review_by": "2027-06-30"},
        headers=legal,
    )
    assert response.status_code == 200
    assert response.json["approval"]["status"] == "approved"
    assert response.json["approval"]["approved_by"] == "lena"
    assert response.json["approval"]["review_by"] == "2027-06-30"
    again = client.post("/api/v1/statements/holding-social-de/approve", headers=legal)
    assert again.status_code == 409


def test_non_legal_approval_is_403(client, oncall):
    response = client.post("/api/v1/statements/holding-social-de/approve", headers=oncall)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body,status",
    [({"review_by": "tomorrow"}, 422), ({"review_by": 5}, 422), ({"review_by": "2019-01-01"}, 422)],
)
def test_bad_review_date_is_422(client, legal, body, status):
    response = client.post("/api/v1/statements/holding-social-de/approve", json=body, headers=legal)
    assert response.status_code == status and response.json["error"]["field"] == "review_by"


def test_bad_language_filter_is_422(client, oncall):
    assert client.get("/api/v1/statements?language=fr", headers=oncall).status_code == 422
    assert client.get("/api/v1/statements?cursor=%%%", headers=oncall).status_code == 422
