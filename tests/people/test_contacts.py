"""The contact directory: who keeps it, what it checks, what the timeline keeps, CSV and vCard."""

import json

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from crisisdesk.accounts import service as accounts
from crisisdesk.errors import Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.people import contacts, exchange
from crisisdesk.timeline.models import TimelineEvent

HOTLINE = {
    "name": "Störungshotline",
    "organisation": "Rechenzentrum Süd GmbH",
    "function": "24/7 Leitstand",
    "phones": ["+49 30 23125 201", "(030) 23125-202"],
    "email": "leitstand@rz-sued.example",
    "languages": ["DE", "en"],
    "tags": ["IT-Provider", "bafin"],
    "notes": "Kennwort für Störungsmeldungen: siehe Tresor, Fach 3",
}


@pytest.fixture
def people(app, make_user):
    return {
        "max": make_user("max", roles=["management"]),
        "olga": make_user("olga", roles=["oncall"]),
    }


def test_management_keeps_the_directory_and_everyone_reads_it(people, make_user):
    contact = contacts.create_contact(actor=people["max"], **HOTLINE)
    assert contacts.listed(contact, "tags") == ["it-provider", "bafin"]
    assert contacts.listed(contact, "languages") == ["de", "en"]
    assert contact.owner.username == "max"
    for reader in (people["olga"], make_user("dora", roles=["dpo"])):
        assert contacts.get_contact(contact.id, actor=reader).name == "Störungshotline"
        assert [c.id for c in contacts.search_contacts(actor=reader, q="süd")] == [contact.id]
    with pytest.raises(Forbidden):
        contacts.update_contact(contact.id, actor=people["olga"], notes="changed")
    nobody = make_user("nora", roles=["oncall"])
    accounts.set_roles(nobody.id, [], actor=make_user("ada", roles=["admin"]))
    with pytest.raises(Forbidden):
        contacts.get_contact(contact.id, actor=nobody)


def test_search_by_name_organisation_function_and_group(people):
    max_ = people["max"]
    hotline = contacts.create_contact(actor=max_, **HOTLINE)
    dpo = contacts.create_contact(
        actor=max_, name="Murat Yilmaz", function="Datenschutz", tags=["dpo"]
    )
    found = lambda **kw: [c.id for c in contacts.search_contacts(actor=max_, **kw)]  # noqa: E731
    assert found(q="LEITSTAND") == [hotline.id]
    assert found(q="datenschutz") == [dpo.id]
    assert found(tag="dpo") == [dpo.id]
    assert found(tag="it-provider", q="yilmaz") == []
    assert found() == [dpo.id, hotline.id]  # by name
    assert [c.id for c in contacts.contacts_tagged(["dpo", "bafin"])] == [dpo.id, hotline.id]


@pytest.mark.parametrize(
    "values,field",
    [
        ({"name": ""}, "name"),
        ({"name": "X", "phones": ["call me"]}, "phones"),
        ({"name": "X", "phones": ["1"] * 6}, "phones"),
        ({"name": "X", "email": "no-at-sign"}, "email"),
        ({"name": "X", "languages": ["deutsch"]}, "languages"),
        ({"name": "X", "tags": ["Legal Duty"]}, "tags"),
        ({"name": "X", "user": "nobody"}, "user"),
        ({"name": "X", "colour": "red"}, "colour"),
        ({"name": "X" * 121}, "name"),
        ({"name": "X", "phones": "+49 30 1"}, "phones"),  # a list, not a text
    ],
)
def test_each_bad_field_is_refused_by_name(people, values, field):
    with pytest.raises(Invalid) as refused:
        contacts.create_contact(actor=people["max"], **values)
    assert refused.value.field == field


def test_the_timeline_names_the_fields_changed_never_their_values(people):
    contact = contacts.create_contact(actor=people["max"], **HOTLINE)
    contacts.update_contact(contact.id, actor=people["max"], notes="Neues Kennwort", email="")
    contacts.update_contact(contact.id, actor=people["max"], notes="Neues Kennwort")  # no change
    contacts.delete_contact(contact.id, actor=people["max"])
    events = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind.like("contact%")).order_by(TimelineEvent.seq)
    ).all()
    assert [e.kind for e in events] == ["contact_created", "contact_changed", "contact_deleted"]
    assert json.loads(events[1].data) == {"contact": contact.id, "fields": ["email", "notes"]}
    assert not any("Kennwort" in e.data or "Störung" in e.data for e in events)
    with pytest.raises(NotFound):
        contacts.get_contact(contact.id, actor=people["olga"])


def test_a_contact_not_confirmed_for_a_year_is_flagged(people, clock):
    contact = contacts.create_contact(actor=people["max"], name="Presseagentur")
    clock.advance(days=365)
    assert not contacts.review_overdue(contact)
    clock.advance(days=2)
    assert contacts.review_overdue(contact)
    contacts.mark_reviewed(contact.id, actor=people["max"])
    assert not contacts.review_overdue(contact)
    assert contacts.review_by(contact).year == clock.now().year + 1


def test_csv_round_trip_keeps_umlauts_lists_and_updates_by_name(people):
    contacts.create_contact(actor=people["max"], **HOTLINE)
    contacts.create_contact(
        actor=people["max"],
        name="Jörg Müller",
        organisation="Genossenschaftsverband",
        phones=["+49 30 23125 206"],
        tags=["cooperative-association"],
    )
    text = exchange.to_csv(contacts.search_contacts(actor=people["max"], limit=None))
    assert text.startswith("\ufeffname;organisation;")
    rows = exchange.from_csv(text.encode("utf-8"))
    assert [values["name"] for _line, values in rows] == ["Jörg Müller", "Störungshotline"]
    assert rows[1][1]["phones"] == ["+49 30 23125 201", "(030) 23125-202"]
    assert rows[1][1]["notes"] == HOTLINE["notes"]
    rows[1][1]["function"] = "Leitstand (neu)"
    done = contacts.import_contacts(rows, actor=people["max"])
    assert (done.created, done.updated) == (0, 1)
    assert contacts.search_contacts(actor=people["max"], q="leitstand (neu)")[0].name == (
        "Störungshotline"
    )


def test_csv_from_a_spreadsheet_with_commas_and_windows_1252(people):
    raw = "name,organisation,phones,tags\r\nBürgerbüro,Stadt Würzburg,+49 931 37-0,branches\r\n"
    rows = exchange.from_csv(raw.encode("cp1252"))
    assert rows == [
        (
            2,
            {
                "name": "Bürgerbüro",
                "organisation": "Stadt Würzburg",
                "phones": ["+49 931 37-0"],
                "tags": ["branches"],
            },
        )
    ]


def test_an_import_with_one_bad_row_imports_nothing_and_names_the_line(people):
    raw = b"name;phones\nGut;+49 30 1234\nSchlecht;ruf an\n"
    with pytest.raises(Invalid) as refused, force_locale("en"):
        contacts.import_contacts(exchange.from_csv(raw), actor=people["max"])
    assert "Line 3" in refused.value.message and refused.value.field == "phones"
    assert contacts.search_contacts(actor=people["max"]) == []
    with pytest.raises(Invalid):
        exchange.from_csv(b"vorname;telefon\nA;1\n")


def test_vcard_round_trip_keeps_umlauts_groups_and_languages(people):
    contacts.create_contact(actor=people["max"], **HOTLINE)
    text = exchange.to_vcard(contacts.search_contacts(actor=people["max"], limit=None))
    assert text.startswith("BEGIN:VCARD") and "Störungshotline" in text
    [(number, values)] = exchange.from_vcard(text.encode("utf-8"))
    assert number == 1
    assert values == {
        "name": "Störungshotline",
        "organisation": "Rechenzentrum Süd GmbH",
        "function": "24/7 Leitstand",
        "email": "leitstand@rz-sued.example",
        "notes": HOTLINE["notes"],
        "phones": ["+49 30 23125 201", "(030) 23125-202"],
        "tags": ["it-provider", "bafin"],
        "languages": ["de", "en"],
    }
    with pytest.raises(Invalid):
        exchange.from_vcard(b"BEGIN:VCARD\nthis is not a card")
