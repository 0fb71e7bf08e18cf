"""In Chromium: the Copy button copies the exact posted text and says so in a live region."""

from flask_babel import force_locale
from playwright.sync_api import Page, expect

from crisisdesk.responses.queries import diff_words

INSERT = "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)"
POSTED = "Warning: *not bold* <b>as typed</b>\n\n• block your card\n• call 116 116"


def _render(app, source: str, **context) -> str:
    # the page the part is inserted into is English (the browser's locale)
    with app.test_request_context("/"), force_locale("en"):
        return app.jinja_env.from_string(source).render(**context)


def test_copy_button_copies_the_exact_text_and_announces_it(page: Page, live_server):
    button_html = _render(
        live_server.app,
        '{% from "responses/_macros.html" import copy_button %}'
        '<p id="post-text" class="statement-text">{{ text }}</p>{{ copy_button("post-text") }}',
        text=POSTED,
    )
    assert "d-none" in button_html  # hidden for as long as no script runs
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/login")
    page.evaluate(INSERT, button_html)
    button = page.get_by_role("button", name="Copy text")
    expect(button).to_be_hidden()
    page.add_script_tag(url=live_server.url + "/static/js/desk.js")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".copy-tool [role=status]")).to_have_text("Copied")
    expect(page.locator(".copy-tool [role=status]")).to_have_attribute("aria-live", "polite")
    assert page.evaluate("navigator.clipboard.readText()") == POSTED


def test_word_diff_marks_changes_without_relying_on_colour(page: Page, live_server):
    segments = diff_words("We are aware of it.", "We know about it.")
    html = _render(
        live_server.app,
        '{% from "responses/_diff.html" import word_diff %}{{ word_diff(segments) }}',
        segments=segments,
    )
    page.goto(live_server.url + "/login")
    page.evaluate(INSERT, html)
    inserted, deleted = page.locator(".word-diff ins"), page.locator(".word-diff del")
    expect(inserted).to_have_text("inserted: know about end of insertion")
    expect(deleted).to_have_text("deleted: are aware of end of deletion")
    assert "underline" in inserted.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "line-through" in deleted.evaluate("el => getComputedStyle(el).textDecorationLine")


def test_without_the_clipboard_api_the_text_is_selected_and_copied(page: Page, live_server):
    button_html = _render(
        live_server.app,
        '{% from "responses/_macros.html" import copy_button %}'
        '<p id="post-text" class="statement-text">{{ text }}</p>{{ copy_button("post-text") }}',
        text=POSTED,
    )
    page.goto(live_server.url + "/login")
    page.evaluate(INSERT, button_html)
    page.evaluate(
        "Object.defineProperty(navigator, 'clipboard', "
        "{value: {writeText: () => Promise.reject(new Error('denied'))}})"
    )
    page.add_script_tag(url=live_server.url + "/static/js/desk.js")
    page.get_by_role("button", name="Copy text").click()
    expect(page.locator(".copy-tool [role=status]")).to_have_text("Copied")
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.replace("\r", "") == POSTED
