"""Both catalogues cover every user-facing string; times show in the user's zone."""

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "raw_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("locale", ["de", "en"])
def test_catalogue_is_complete(extracted, locale):
    with (ROOT / "crisisdesk" / "translations" / locale / "LC_MESSAGES" / "messages.po").open(
        "rb"
    ) as handle:
        catalogue = read_po(handle)
    translated = {
        message.id
        for message in catalogue
        if message.id
        and message.string
        and not message.fuzzy
        and (not isinstance(message.string, tuple) or all(message.string))
    }
    missing = sorted(str(msgid) for msgid in extracted - translated)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("locale", ["de", "en"])
def test_the_committed_compiled_catalogue_matches_its_source(locale):
    """The .mo files are shipped, so a desk installed any
    way serves German: they must not lag behind the .po.
    """
    folder = ROOT / "crisisdesk" / "translations" / locale / "LC_MESSAGES"

    def plain(value):  # plural forms come back as a tuple from one reader and a list from the other
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with (folder / "messages.po").open("rb") as handle:
        source = {
            plain(message.id): plain(message.string)
            for message in read_po(handle)
            if message.id and message.string and not message.fuzzy
        }
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {
            plain(message.id): plain(message.string) for message in read_mo(handle) if message.id
        }
    assert compiled == source, "run `make translations` and commit the .mo files"


def test_a_german_page_is_german_without_any_build_step(client):
    page = client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="de"' in page and "Anmelden" in page


def test_times_are_shown_in_the_users_zone(app, make_user):
    from flask_login import login_user

    from crisisdesk.i18n import localtime

    user = make_user("olga", timezone="Europe/Berlin", language="de")
    with app.test_request_context("/"):
        login_user(user)
        # 09:00 UTC in November is 10:00 in Berlin
        assert "10:00" in localtime(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))


def test_the_german_desk_uses_the_words_the_library_uses():
    """The wording rules for German files hold for the desk's own German texts too."""
    rules = yaml.safe_load((ROOT / "playbooks" / "wording.yaml").read_text())["avoid"]["de"]
    path = ROOT / "crisisdesk" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        texts = [m.string for m in read_po(handle) if m.id and isinstance(m.string, str)]
    found = [
        (word, text)
        for text in texts
        for word in rules
        if re.search(rf"(?<!\w){re.escape(word)}", text)
    ]
    assert found == []
