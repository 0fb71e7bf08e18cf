"""In Chromium at phone width: sign in as a demo user, switch to German, see German."""

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, base_url: str, username: str, password: str, *, succeeds=True) -> None:
    """Sign in through the form; wait until the desk (or, if not `succeeds`, the form) is back."""
    page.goto(f"{base_url}/login")
    main = page.get_by_role("main")
    main.get_by_label("Username").fill(username)
    main.get_by_label("Password").fill(password)
    main.get_by_role("button", name="Sign in").click()
    if succeeds:  # the session cookie is set before the next step navigates anywhere
        expect(page).not_to_have_url(re.compile(r"/login"))
    else:
        expect(main.get_by_role("alert")).to_be_visible()


def test_sign_in_and_switch_to_german(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "oncall-demo-pass")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagebild")
    # the choice is kept on the profile: a new sign-in is German too. Sign out with the form the
    # menu's button submits, whether the menu is folded away (phone) or not.
    page.get_by_role("navigation").locator('form[action$="/logout"]').evaluate(
        "form => form.requestSubmit()"
    )
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    main.get_by_label("Benutzername").fill("oncall")
    main.get_by_label("Passwort").fill("oncall-demo-pass")
    main.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagebild")


def test_wrong_password_shows_a_message_and_keeps_the_username(page: Page, live_server, demo_users):
    sign_in(page, live_server.url, "oncall", "not the password", succeeds=False)
    main = page.get_by_role("main")
    expect(main.get_by_role("alert")).to_contain_text("Unknown username or wrong password.")
    expect(main.get_by_label("Username")).to_have_value("oncall")


def test_login_form_is_keyboard_operable(page: Page, live_server, demo_users):
    page.goto(f"{live_server.url}/login")
    expect(page.get_by_role("main").get_by_label("Username")).to_be_focused()
    page.keyboard.type("oncall")
    page.keyboard.press("Tab")
    page.keyboard.type("oncall-demo-pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
