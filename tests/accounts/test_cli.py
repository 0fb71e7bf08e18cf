"""`flask users …` and `flask demo`, through the CLI runner."""

from crisisdesk.accounts import service


def test_users_create_list_set_roles_deactivate(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "lena",
            "--role",
            "legal",
            "--role",
            "management",
            "--password",
            "a long password",
            "--name",
            "Lena L.",
        ]
    )
    assert result.exit_code == 0, result.output
    assert service.find_user("lena").roles == ["legal", "management"]
    listing = runner.invoke(args=["users", "list"]).output
    assert "lena\tlegal,management\tactive\tLena L." in listing
    assert runner.invoke(args=["users", "set-roles", "lena", "--role", "oncall"]).exit_code == 0
    assert service.find_user("lena").roles == ["oncall"]
    assert runner.invoke(args=["users", "deactivate", "lena"]).exit_code == 0
    assert not service.find_user("lena").active


def test_users_create_prompts_for_password(runner):
    result = runner.invoke(
        args=["users", "create", "olga", "--role", "oncall"],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert service.find_user("olga") is not None


def test_users_create_rejects_bad_input_with_a_message(runner):
    result = runner.invoke(
        args=["users", "create", "x", "--role", "oncall", "--password", "a long password"]
    )
    assert result.exit_code != 0 and "2-64" in result.output
    result = runner.invoke(
        args=["users", "create", "olga", "--role", "boss", "--password", "a long password"]
    )
    assert result.exit_code != 0 and "boss" in result.output
    result = runner.invoke(
        args=["users", "create", "olga", "--role", "oncall", "--password", "short"]
    )
    assert result.exit_code != 0 and " 12 " in result.output


def test_token_prints_a_working_token_as_last_line(runner, client):
    runner.invoke(
        args=["users", "create", "olga", "--role", "oncall", "--password", "a long password"]
    )
    result = runner.invoke(args=["users", "token", "olga"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["roles"] == ["oncall"]


def test_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["users", "token", "ghost"])
    assert result.exit_code != 0 and "no such user" in result.output


def test_demo_is_idempotent_and_prints_logins(runner, client):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    assert len(service.all_users()) == 9
    for role in ("oncall", "legal", "management", "compliance", "infosec", "dpo", "hr", "admin"):
        assert service.find_user(role).has_role(role)
    assert "oncall-demo-pass" in first.output
    response = client.post("/login", data={"username": "legal", "password": "legal-demo-pass"})
    assert response.status_code == 302


def test_demo_refused_in_production(app, runner):
    app.config["DEPLOYMENT"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "not created in production" in result.output
