"""Every state-changing HTML route refuses a POST
without a CSRF token (found by walking the URL map).
"""

import re

from .conftest import PASSWORD, csrf_token_from


def test_every_html_post_route_needs_a_csrf_token(csrf_app, make_user):
    make_user("ada", roles=["admin", "oncall", "legal", "management"])
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").data)
    assert (
        client.post(
            "/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "The form expired" in response.get_data(as_text=True)
        checked.append(rule.rule)
    assert len(checked) >= 25  # a new form is covered as soon as its route exists
