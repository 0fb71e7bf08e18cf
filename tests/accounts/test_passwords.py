"""Short, common and easily guessed passwords are refused wherever a password is set."""

import pytest

from crisisdesk.accounts import service
from crisisdesk.accounts.cli import DEMO_USERS
from crisisdesk.accounts.passwords import check_password
from crisisdesk.errors import Invalid

from ..conftest import PASSWORD, login

#: (password, reason, what the person reads)
BAD = [
    ("Tr0ub4dor&3", "short_password", "Passwords need at least 12 characters."),
    (
        "LeaveMeAlone",
        "common_password",
        "This password is on the list of the most common passwords.",
    ),
    ("bankbankbank12", "weak_password", "This password is too easy to guess."),
]
TOO_LONG = ("x" * 1025, "long_password", "Passwords can have at most 1024 characters.")


@pytest.mark.parametrize("password,reason,message", [*BAD, TOO_LONG])
def test_the_service_refuses_with_a_reason_and_the_field(app, password, reason, message):
    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        pytest.raises(Invalid) as refused,
    ):
        service.create_user("lena", password=password, roles=["legal"])
    assert (refused.value.reason, refused.value.field) == (reason, "password")
    assert message in refused.value.message
    assert service.find_user("lena") is None


@pytest.mark.parametrize("password,reason,message", BAD)
def test_the_admin_form_shows_the_refusal_on_the_field(
    client, make_user, password, reason, message
):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "lena",
            "display_name": "Lena",
            "password": password,
            "language": "de",
            "roles": ["legal"],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="password-error"' in page
    assert message in page.split('id="password-error"')[1].split("</div>")[0]
    assert service.find_user("lena") is None


@pytest.mark.parametrize("password,reason,message", BAD)
def test_the_cli_refuses_with_the_message(runner, password, reason, message):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "lena",
            "--role",
            "legal",
            "--password",
            password,
            "--language",
            "en",
        ]
    )
    assert result.exit_code != 0 and service.find_user("lena") is None
    assert (
        "passw" in result.output.lower()
    )  # the message, in the desk's default language (no request to ask)


@pytest.mark.parametrize("password,reason,message", BAD)
def test_a_password_change_refuses_on_the_new_password_field(
    client, make_user, password, reason, message
):
    make_user("olga")
    login(client, "olga")
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "new_password": password}
    )
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 422
        and message in page.split('id="new_password-error"')[1].split("</div>")[0]
    )
    client.post("/logout")
    assert login(client, "olga").status_code == 302  # the old password still holds


def test_the_persons_own_name_counts_as_easy_to_guess(app):
    with pytest.raises(Invalid) as refused:
        service.create_user("mustermann", password="mustermann2026", roles=["oncall"])
    assert refused.value.reason == "weak_password"


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "a long password",
        "another long passphrase 42",
        *(f"{name}-demo-pass" for name, *_rest in DEMO_USERS),
    ],
)
def test_the_demo_and_test_passwords_pass(app, password):
    check_password(password)


def test_only_the_first_100_characters_are_scored(app):
    check_password(
        "correct horse battery staple " + "a" * 990
    )  # a long tail is neither slow nor a weakness
