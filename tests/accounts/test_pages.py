"""Account pages: no browser keeps them, and English readers get English form messages."""

import re

from ..conftest import login

#: WTForms' own German messages, which must not reach an English reader
GERMAN = ("Ungültige E-Mail-Adresse", "Dieses Feld wird benötigt", "Ungültige Auswahl", "Feld")


def test_signed_in_pages_and_a_new_token_are_never_stored(client, make_user):
    make_user("olga")
    login(client, "olga")
    for path in ("/", "/profile/"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    response = client.post("/profile/tokens", data={"name": "monitoring", "expires": "90"})
    assert 'id="new-token">cd_' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_an_english_user_reads_form_errors_in_english(app, make_user):
    make_user("olga", language="en")
    for accept in ("de-DE,de;q=0.9", "", "en"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
        client.post(
            "/language", data={"language": "de", "next": "/login"}
        )  # German before signing in
        login(client, "olga")
        response = client.post(
            "/profile/preferences",
            data={
                "display_name": "",
                "email": "not an address",
                "language": "en",
                "timezone": "Europe/Berlin",
            },
        )
        page = response.get_data(as_text=True)
        errors = re.findall(r'class="invalid-feedback d-block">([^<]*)<', page)
        assert response.status_code == 422 and '<html lang="en">' in page
        assert "This is not an email address." in errors and "This field is required." in errors
        assert not [text for text in GERMAN if text in page]
