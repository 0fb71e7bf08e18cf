"""What the library's phases, severity criteria, audiences and new roles change on the desk."""

import re
from datetime import timedelta

import pytest

from crisisdesk import create_app
from crisisdesk.extensions import db
from crisisdesk.incidents import escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.library.store import get_library
from crisisdesk.responses import service as responses
from crisisdesk.room.parts import checklist_groups
from crisisdesk.room.waiting import waiting_for
from tests.conftest import login, make_test_config

BREACH = "data-breach-en"


@pytest.fixture
def olga(app, make_user):
    user = make_user("olga", roles=["oncall"])
    login(app.test_client(), "olga")
    return user


def signed_in(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_the_room_shows_the_checklist_under_its_phases_in_order(app, olga, clock):
    incident = incidents.open_incident(actor=olga, title="Leak", severity=2, playbook=BREACH)
    html = signed_in(app, "olga").get(f"/incidents/{incident.id}").get_data(as_text=True)
    checklist = html[html.index('id="checklist"') : html.index('id="responses"')]
    headings = re.findall(r'<h3 class="h6 mt-2 mb-1">([^<]+)</h3>', checklist)
    playbook = get_library().playbooks[BREACH]
    names = {
        "first-15-minutes": "First 15 minutes",
        "first-hour": "First hour",
        "first-day": "First day",
        "after": "Afterwards",
    }
    expected = []
    for item in playbook.checklist:
        if not expected or expected[-1] != names[item.phase]:
            expected.append(names[item.phase])
    assert headings == expected == list(names.values())
    assert checklist.count("check-toggle") == len(playbook.checklist)


def test_a_checklist_from_a_version_without_phases_is_one_run_without_heading(app, olga, clock):
    incident = incidents.open_incident(actor=olga, title="Leak", severity=2, playbook=BREACH)
    groups = checklist_groups(incident.checklist, None)
    assert groups == [("", list(incident.checklist))]


def test_the_open_form_shows_the_chosen_playbooks_severity_criteria(app, olga):
    playbook = get_library().playbooks[BREACH]
    html = signed_in(app, "olga").get(f"/incidents/new?playbook={BREACH}").get_data(as_text=True)
    assert f'<option selected value="{BREACH}">' in html or re.search(
        rf'<option[^>]*value="{BREACH}"[^>]*selected', html
    )
    assert re.search(rf'<option[^>]*selected[^>]*value="{playbook.default_severity}"', html) or (
        re.search(rf'<option[^>]*value="{playbook.default_severity}"[^>]*selected', html)
    )
    shown = re.search(rf'<div data-criteria="{BREACH}">(.*?)</div>', html, re.S).group(1)
    assert playbook.severity_criteria[3] in shown
    hidden = re.findall(r'<div data-criteria="([^"]+)" hidden>', html)
    assert len(hidden) == len(get_library().playbooks) - 1 and BREACH not in hidden


def test_an_unknown_playbook_in_the_open_link_preselects_nothing(app, olga):
    response = signed_in(app, "olga").get("/incidents/new?playbook=nowhere")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    blocks = re.findall(r'<div data-criteria="[^"]+"( hidden)?>', html)
    assert len(blocks) == len(get_library().playbooks) and set(blocks) == {" hidden"}


def test_the_playbook_page_offers_criteria_and_an_opening_with_it(app, olga):
    html = signed_in(app, "olga").get(f"/library/playbooks/{BREACH}").get_data(as_text=True)
    playbook = get_library().playbooks[BREACH]
    assert "Which severity?" in html and playbook.severity_criteria[1] in html
    assert f"/incidents/new?playbook={BREACH}" in html
    assert '<strong lang="en">First 15 minutes:</strong>' in html


def test_the_statement_page_and_api_name_the_audience(app, olga, token_for):
    html = signed_in(app, "olga").get("/library/statements/data-breach-notice-en")
    assert "For: People affected" in html.get_data(as_text=True)
    client = app.test_client()
    body = client.get("/api/v1/statements/data-breach-notice-en", headers=token_for(olga)).json
    assert body["audience"] == "affected" and set(body["channels"]) <= {"letter", "email"}
    playbook = client.get(f"/api/v1/playbooks/{BREACH}", headers=token_for(olga)).json
    assert sorted(playbook["severity_criteria"]) == ["1", "2", "3", "4"]
    assert playbook["checklist"][0]["phase"] == "first-15-minutes"
    assert {item["phase"] for item in playbook["checklist"]} <= {
        "first-15-minutes",
        "first-hour",
        "first-day",
        "after",
    }


def test_the_desk_signs_statements_with_the_configured_bank_name(app, olga, clock):
    app.config["BANK_NAME"] = "Raiffeisenbank Testtal eG"
    incident = incidents.open_incident(actor=olga, title="Down", severity=2, playbook=BREACH)
    statement = get_library().statements["sms-outage-en"]
    values = {
        p.name: (p.options[0] if p.type == "choice" else "14:30") for p in statement.placeholders
    }
    response = responses.draft_response(
        incident.id, actor=olga, channel="sms", statement="sms-outage-en", values=values
    )
    assert response.current.body.startswith("Raiffeisenbank Testtal eG:")
    assert "{{" not in response.current.body


@pytest.mark.parametrize("name", ["", "x" * 41, "Bank\nName"])
def test_a_bank_name_the_limits_were_not_checked_with_is_refused(tmp_path, name):
    config = make_test_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}", BANK_NAME=name)
    with pytest.raises(RuntimeError, match="BANK_NAME"):
        create_app(config)


def test_the_data_protection_officer_is_told_and_may_acknowledge(app, olga, make_user, clock):
    dora = make_user("dora", roles=["dpo"])
    incident = incidents.open_incident(actor=olga, title="Leak", severity=4, playbook=BREACH)
    step = next(s for s in incident.steps if s.target_role == "dpo")
    assert step.due_at - incident.opened_at <= timedelta(minutes=10)
    clock.advance(minutes=11)
    assert waiting_for(dora).steps == 1 and waiting_for(dora).step_incident_id == incident.id
    assert waiting_for(make_user("ivo", roles=["oncall"])).steps == 0
    done = escalation.acknowledge(incident.id, step.id, actor=dora)
    db.session.commit()
    assert done.status == "acknowledged"


@pytest.mark.parametrize("role", ["compliance", "infosec", "dpo", "hr"])
def test_an_admin_gives_the_new_roles_and_only_an_admin(app, make_user, role):
    from crisisdesk.accounts import service as accounts
    from crisisdesk.errors import Forbidden, Invalid

    ada, hanno = make_user("ada", roles=["admin"]), make_user("hanno", roles=["oncall"])
    with pytest.raises(Forbidden):
        accounts.set_roles(hanno.id, [role], actor=make_user("max", roles=["management"]))
    db.session.rollback()
    with pytest.raises(Invalid):
        accounts.set_roles(hanno.id, [role, "board"], actor=ada)
    db.session.rollback()
    assert accounts.set_roles(hanno.id, [role], actor=ada).roles == [role]
