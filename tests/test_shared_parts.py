"""A shared part cannot depend on who reads it or on the clock; its forms carry each reader's token.

The three ways a part went wrong silently before now fail when the part is rendered, or work.
"""

from __future__ import annotations

import logging
import re

import pytest
from jinja2 import ChoiceLoader, DictLoader, TemplateAssertionError, UndefinedError

from crisisdesk.incidents import service as incidents
from crisisdesk.shared_parts import ReaderHidden, part_environment, shared_part

from .conftest import login, signed_in_client

PLAYBOOK = "phishing-wave-en"


def _override(app, name: str, add: str) -> None:
    """Serve template `name` with `add` appended (before any part is rendered)."""
    source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
    app.jinja_env.loader = ChoiceLoader([DictLoader({name: source + add}), app.jinja_env.loader])


@pytest.fixture(autouse=True)
def _errors_logged(monkeypatch):
    """The app's error log is on (a migration run's logging setup switches existing loggers off)."""
    monkeypatch.setattr(logging.getLogger("crisisdesk"), "disabled", False)


def _fails(client, path: str, caplog, error: type, message: str) -> None:
    """The page is a 500 and the log names the render error (the part is never shown or kept)."""
    assert client.get(path).status_code == 500
    errors = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any(isinstance(e, error) and message in str(e) for e in errors), caplog.text


def test_a_part_that_asks_who_reads_it_fails_when_rendered(app, client, make_user, caplog):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    _override(
        app,
        "incidents/_room.html",
        '{% if current_user.has_role("legal") %}<a href="/legal">For legal</a>{% endif %}',
    )
    login(client, "olga")
    _fails(client, f"/incidents/{incident.id}", caplog, UndefinedError, "current_user")
    with app.test_request_context():  # nor can the values it is rendered from ask
        with pytest.raises(ReaderHidden):
            shared_part(
                "probe",
                "incidents/_events.html",
                inputs={},
                audience=frozenset(),
                scopes=("incidents",),
                context=lambda: {"events": [] if olga_is_legal() else []},
            )


def olga_is_legal() -> bool:
    from flask_login import current_user

    return current_user.has_role("legal")


def test_no_clock_and_no_reader_are_in_reach_of_a_part(app, client, make_user, caplog):
    olga = make_user("olga")
    incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    _override(
        app,
        "incidents/_board_list.html",
        '{{ _("updated %(d)s ago", d=incidents[0].opened_at|since(now)) }}',
    )
    login(client, "olga")
    _fails(client, "/", caplog, TemplateAssertionError, "since")
    with app.test_request_context():
        env = part_environment()
    assert not {"since", "until"} & set(env.filters)
    hidden = {"current_user", "request", "session", "g", "get_flashed_messages", "config"}
    assert not hidden & set(env.globals) and env.globals["csrf_token"]().startswith("csrf-hole-")


def test_a_form_in_the_board_part_carries_each_reader_s_own_token(csrf_app, make_user):
    olga, _oskar = make_user("olga"), make_user("oskar")
    incident = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    _override(
        csrf_app,
        "incidents/_board_list.html",
        '{% from "macros.html" import csrf_field as probe_token %}{% for i in incidents %}'
        '<form class="probe" method="post" action="/incidents/{{ i.id }}/notes">'
        "{{ probe_token() }}</form>{% endfor %}",
    )
    probe = re.compile(
        r'<form class="probe"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
    )
    readers = [signed_in_client(csrf_app, "olga"), signed_in_client(csrf_app, "oskar")]
    pages = [reader.get("/").get_data(as_text=True) for reader in readers]  # the second is kept
    assert csrf_app.extensions["crisisdesk.readcache"].counts["part:board"] == [1, 1]
    own = [probe.search(page).group(1) for page in pages]
    assert own[0] != own[1] and "csrf-hole-" not in "".join(pages)
    note = f"/incidents/{incident.id}/notes"
    for reader, token in zip(readers, own, strict=True):
        assert (
            reader.post(note, data={"text": "from the board", "csrf_token": token}).status_code
            == 302
        )
    assert readers[1].post(note, data={"text": "x", "csrf_token": own[0]}).status_code == 400
