"""Action items are typed in either language, and event sentences name statuses in the reader's."""

from types import SimpleNamespace

from flask_babel import force_locale

from crisisdesk.review.forms import actions_from_text, actions_to_text
from crisisdesk.timeline.describe import describe


def test_status_words_of_both_languages_are_read(app):
    lines = (
        "Brief staff | Olga | 2026-12-09 | erledigt\nCheck domains | Lena | | offen\nX | Y | | done"
    )
    assert [item["status"] for item in actions_from_text(lines)] == ["done", "open", "done"]
    assert actions_from_text("Only text")[0]["status"] == "open"
    assert actions_from_text("A | B | | maybe")[0]["status"] == "maybe"  # the service refuses it


def test_lines_are_written_in_the_readers_language_and_read_back(app):
    item = SimpleNamespace(text="Brief staff", owner="Olga", due_date=None, status="done")
    with app.test_request_context(), force_locale("de"):
        text = actions_to_text([item])
    assert text == "Brief staff | Olga |  | erledigt"
    assert actions_from_text(text)[0]["status"] == "done"


def test_a_drafted_response_names_its_status_in_german(app):
    event = SimpleNamespace(
        kind="response_drafted",
        data={"response": 3, "channel": "facebook", "status": "preapproved"},
    )
    with app.test_request_context(), force_locale("de"):
        sentence = str(describe(event))
    assert "preapproved" not in sentence and "(draft)" not in sentence
