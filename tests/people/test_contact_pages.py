"""Contact pages, the room's "who to call" from the playbook's groups, and the API."""

import io

import pytest

from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import service as incidents
from crisisdesk.people import contacts

from ..conftest import login


@pytest.fixture
def directory(app, make_user):
    boss = make_user("max", roles=["management"])
    make_user("olga", roles=["oncall"])
    hotline = contacts.create_contact(
        actor=boss,
        name="Störungshotline",
        organisation="Rechenzentrum Süd",
        phones=["+49 30 23125 201"],
        tags=["it-provider"],
    )
    contacts.create_contact(actor=boss, name="Murat Yilmaz", function="DSB", tags=["dpo"])
    return {"boss": boss, "hotline": hotline}


def test_the_room_shows_who_to_call_for_its_playbook_with_tap_to_call(client, directory):
    incident = incidents.open_incident(
        actor=find_user("olga"),
        title="Provider down",
        severity=2,
        playbook="it-provider-outage-en",
    )
    login(client, "olga")
    room = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    call = room.split('id="who-to-call"')[1].split("</section>")[0]
    assert "Störungshotline" in call and 'href="tel:+493023125201"' in call
    assert "Murat Yilmaz" not in call  # the DPO is not in this playbook's groups


def test_readers_search_editors_add_and_change(client, directory):
    login(client, "olga")
    page = client.get("/contacts?q=süd").get_data(as_text=True)
    assert "Störungshotline" in page and "Murat Yilmaz" not in page
    assert "Add contact" not in page and "Export as CSV" not in page
    assert client.get("/contacts/new").status_code == 403
    assert client.get("/contacts/export.csv").status_code == 403
    client.post("/logout")
    login(client, "max")
    client.post("/language", data={"language": "en"})
    refused = client.post("/contacts/new", data={"name": "Presse", "phones": "ruf an"})
    assert refused.status_code == 422
    assert 'id="phones-error"' in refused.get_data(as_text=True)
    made = client.post(
        "/contacts/new",
        data={
            "name": "Presseagentur Nord",
            "phones": "+49 30 23125 301\n+49 30 23125 302",
            "tags": "press-agency, press-office",
            "languages": "de, en",
        },
    )
    assert made.status_code == 302
    contact_id = int(made.headers["Location"].rsplit("/", 1)[1])
    shown = client.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert 'href="tel:+493023125302"' in shown and "press-agency" in shown
    changed = client.post(
        f"/contacts/{contact_id}", data={"name": "Presseagentur Nord", "function": "Bereitschaft"}
    )
    assert changed.status_code == 302
    assert "Bereitschaft" in client.get(f"/contacts/{contact_id}").get_data(as_text=True)


def test_import_and_export_through_the_pages(client, directory):
    login(client, "max")
    client.post("/language", data={"language": "en"})
    exported = client.get("/contacts/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "Störungshotline" in exported.get_data(as_text=True)
    vcf = client.get("/contacts/export.vcf").get_data(as_text=True)
    assert vcf.count("BEGIN:VCARD") == 2
    csv = "name;phones;tags\nBürgerbüro;+49 931 37-0;branches\n".encode()
    done = client.post(
        "/contacts/import", data={"file": (io.BytesIO(csv), "k.csv")}, follow_redirects=True
    )
    assert "Imported: 1 added, 0 updated." in done.get_data(as_text=True)
    bad = b"name;phones\nX;ruf an\n"
    refused = client.post(
        "/contacts/import", data={"file": (io.BytesIO(bad), "k.csv")}, follow_redirects=True
    )
    assert "Line 2, phones" in refused.get_data(as_text=True)


def test_the_contact_api(client, directory, token_for):
    headers = token_for(directory["boss"])
    made = client.post(
        "/api/v1/contacts",
        headers=headers,
        json={"name": "Jörg Müller", "phones": ["+49 30 23125 401"], "tags": ["board"]},
    )
    assert made.status_code == 201 and made.json["tags"] == ["board"]
    assert made.json["review_overdue"] is False and made.json["owner"] == "max"
    found = client.get("/api/v1/contacts?tag=board", headers=headers).json["items"]
    assert [c["name"] for c in found] == ["Jörg Müller"]
    patched = client.patch(
        f"/api/v1/contacts/{made.json['id']}", headers=headers, json={"phones": "+49 30 1"}
    )
    assert patched.status_code == 422 and patched.json["error"]["field"] == "phones"
    assert client.delete(f"/api/v1/contacts/{made.json['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/contacts/{made.json['id']}", headers=headers).status_code == 404
