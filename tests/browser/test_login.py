"""In Chromium at phone width: sign in as a demo user, switch to German, see German."""

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_and_switch_to_german(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagebild")
    # the choice is kept on the profile: a new sign-in is German too
    page.get_by_role("button", name="Navigation anzeigen").click()
    expect(page.locator("#nav")).to_have_class(
        re.compile(r"\bshow\b")
    )  # the menu has finished opening
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    page.get_by_label("Benutzername").fill("oncall")
    page.get_by_label("Passwort").fill("oncall-demo-pass")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagebild")


def test_wrong_password_shows_a_message_and_keeps_the_username(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Unknown username or wrong password.")
    expect(page.get_by_label("Username")).to_have_value("oncall")


def test_login_form_is_keyboard_operable(page: Page, live_server, demo_users):
    page.goto(f"{live_server.url}/login")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("oncall")
    page.keyboard.press("Tab")
    page.keyboard.type("oncall-demo-pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
