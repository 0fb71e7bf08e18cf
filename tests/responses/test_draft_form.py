"""The draft form speaks the statement's language and shows the text as it will be posted."""

import re
from html import unescape

import pytest

from crisisdesk.incidents import service as incidents
from crisisdesk.library.store import get_library

from ..conftest import login

PHISHING_DE = "phishing-warning-de"


@pytest.fixture
def greta(app, make_user):
    """On call, desk in German."""
    return make_user("greta", roles=["oncall"], language="de")


def open_phishing(actor, channels=None):
    return incidents.open_incident(
        actor=actor,
        title="Phishing-Welle",
        severity=2,
        playbook="phishing-wave-de",
        channels=channels,
    )


def form_page(client, incident_id, statement=PHISHING_DE, **query):
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    return client.get(f"/incidents/{incident_id}/responses/new?statement={statement}{extra}")


def selected_channel(page: str) -> str:
    select = re.search(r'<select[^>]*name="channel".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select)[
        0
    ].split('"')[1]


def preview_text(page: str) -> str:
    return unescape(re.search(r'<div id="preview-text"[^>]*>(.*?)</div>', page, re.S).group(1))


def test_the_german_form_speaks_german_and_shows_no_insides(client, greta, clock):
    incident = open_phishing(greta)
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    assert "{{" not in page and "**" not in page
    for label in ("Kontaktweg", "Die Masche", "Phishing-Postfach"):
        assert f">{label} <span" in page  # the field's label, marked required
    assert "lure channel" not in page and "lure_channel<" not in page
    assert "Über welchen Weg die Betrüger Kontakt aufnehmen" in page
    assert 'lang="de"' in page
    # the preview without script: empty values as their label in brackets, the text as posted
    text = preview_text(page)
    assert "[Kontaktweg]" in text and "[Die Masche]" in text
    assert text.startswith("Achtung, Betrugsversuche:")  # no Markdown on Facebook


def test_help_is_tied_to_its_field_and_required_fields_are_marked(client, greta, clock):
    incident = open_phishing(greta)
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    topic = re.search(r"<input[^>]*id=\"lure_topic\"[^>]*>", page).group(0)
    assert 'aria-describedby="lure_topic-help lure_topic-error"' in topic
    assert "required" in topic and 'maxlength="100"' in topic
    assert 'id="lure_topic-help"' in page
    assert page.count('<span class="text-danger" aria-hidden="true">*</span>') == 3


def test_a_choice_placeholder_is_a_select_with_its_options(client, greta, clock):
    incident = open_phishing(greta)
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    select = re.search(r'<select[^>]*id="lure_channel".*?</select>', page, re.S).group(0)
    assert [unescape(v) for v in re.findall(r'value="([^"]*)"', select)] == [
        "",
        "E-Mail",
        "SMS",
        "Telefon",
        "Messenger",
    ]


def test_the_channel_defaults_to_the_incidents_first_channel(client, greta, clock):
    incident = open_phishing(greta, channels=["instagram", "facebook"])
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    assert selected_channel(page) == "instagram"


def test_the_channel_falls_back_to_the_statements_first(client, greta, clock):
    incident = open_phishing(greta, channels=["sms", "facebook"])  # the statement has no SMS
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    statement = get_library().statements[PHISHING_DE]
    assert selected_channel(page) == statement.channels[0] == "facebook"


def test_after_a_validation_error_the_preview_shows_what_was_typed(client, greta, clock):
    incident = open_phishing(greta, channels=["facebook"])
    login(client, "greta")
    response = client.post(
        f"/incidents/{incident.id}/responses/new?statement={PHISHING_DE}",
        data={
            "channel": "facebook",
            "lure_channel": "SMS",
            "lure_topic": "eine angebliche Kontosperre",
            "report_address": "",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    text = preview_text(page)
    assert "per SMS im Namen unserer Bank" in text
    assert "Es geht um eine angebliche Kontosperre." in text
    assert "[Phishing-Postfach]" in text
    # the message names the field by its label, in German
    error = re.search(r'<div id="report_address-error"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "Phishing-Postfach" in unescape(error) and "report_address" not in error
    assert 'value="eine angebliche Kontosperre"' in page
    assert re.search(rf">\s*{len(text)} / 63206<", page)  # counted against Facebook's limit


def test_every_bad_value_is_named_after_a_failed_post(client, greta, clock):
    incident = open_phishing(greta, channels=["facebook"])
    login(client, "greta")
    page = client.post(
        f"/incidents/{incident.id}/responses/new?statement={PHISHING_DE}",
        data={"channel": "facebook", "lure_channel": "Brieftaube", "lure_topic": "x" * 101},
    ).get_data(as_text=True)
    for name in ("lure_channel", "lure_topic", "report_address"):
        error = re.search(rf'<div id="{name}-error"[^>]*>(.*?)</div>', page, re.S).group(1)
        assert error.strip(), name


def test_x_counts_against_its_limit_on_the_page(client, olga, incident):
    login(client, "olga")
    page = client.post(
        f"/incidents/{incident.id}/responses/new?statement=holding-social-en",
        data={"channel": "x", "issue": "", "help_place": "online", "next_update": "14:30"},
    ).get_data(as_text=True)
    text = preview_text(page)
    assert "[What it is about]" in text and "14:30" in text
    assert re.search(rf">\s*{len(text)} / 280<", page)


def test_the_draft_page_loads_its_script_and_only_it_does(client, greta, clock):
    incident = open_phishing(greta)
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    assert "js/draft.js" in page
    assert f'data-preview-url="/incidents/{incident.id}/responses/preview"' in page
    assert 'aria-live="polite"' in page and 'id="preview-heading"' in page
    free = client.get(f"/incidents/{incident.id}/responses/new?free=1").get_data(as_text=True)
    assert "js/draft.js" not in free
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "js/draft.js" not in room


def test_a_web_page_is_previewed_as_its_readers_see_it(client, greta, clock):
    incident = open_phishing(greta, channels=["website"])
    login(client, "greta")
    page = form_page(client, incident.id).get_data(as_text=True)
    assert selected_channel(page) == "website"
    shown = re.search(r'<div id="preview-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "<strong>Achtung, Betrugsversuche:</strong>" in shown
    assert "**" not in shown and "\\[" not in shown and "[Kontaktweg]" in shown
