"""Search finds what was said by its words in German and English, the same on both databases."""

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses
from crisisdesk.review import service as review
from crisisdesk.search import service
from crisisdesk.search.models import SearchEntry
from crisisdesk.search.rebuild import rebuild


def found(query, actor):
    return {(hit.kind, hit.source_id) for hit in service.search(query, actor=actor, limit=50)}


@pytest.fixture
def said(olga, open_incident):
    """One incident with a text of each kind; returns (incident, {name: (kind, source_id)})."""
    incident = open_incident(
        "Störung im Online-Banking", summary="Viele Kunden können sich nicht anmelden."
    )
    note = entries.add_note(incident.id, "Die Kartensperre über 116 116 funktioniert.", actor=olga)
    other = entries.add_note(
        incident.id, "Customers report locked accounts since 9 am.", actor=olga
    )
    umlaut = entries.add_note(incident.id, "Eine Kündigung des Kontos ist nicht nötig.", actor=olga)
    link = entries.add_source_link(
        incident.id, "https://example.org/posts/zahlungsausfall", actor=olga
    )
    draft = responses.draft_response(
        incident.id, actor=olga, channel="facebook", body="Wir arbeiten an der Störung."
    )
    revised = responses.revise_response(
        draft.id, "Wir arbeiten mit Hochdruck an der Störung.", actor=olga
    )
    db.session.rollback()
    revisions = sorted(r.id for r in responses.get_response(revised.id, actor=olga).revisions)
    return incident, {
        "incident": ("incident", incident.id),
        "note": ("note", note.seq),
        "english": ("note", other.seq),
        "umlaut": ("note", umlaut.seq),
        "link": ("source", link.id),
        "first": ("response", revisions[0]),
        "second": ("response", revisions[1]),
    }


def test_each_word_also_finds_its_inflections_umlauts_and_compounds(said, olga):
    _, ids = said
    assert found("Kunde", olga) == {ids["incident"]}  # Kunden
    assert found("customer account", olga) == {ids["english"]}  # Customers … accounts
    assert found("Kündigung", olga) == found("Kuendigung", olga) == found("kundigung", olga)
    assert found("Kündigung", olga) == {ids["umlaut"]}
    assert found("Karten", olga) == {ids["note"]}  # Kartensperre
    assert found("Onlinebanking", olga) == found("Banking", olga) == {ids["incident"]}
    assert found("online-banking", olga) == {ids["incident"]}
    assert found("Zahlungsausfall", olga) == {ids["link"]}
    # every revision of a response is found, and every word must occur
    assert found("Störung arbeiten", olga) == {ids["first"], ids["second"]}
    assert found("Hochdruck Störung", olga) == {ids["second"]}
    assert found("Hochdruck Kartensperre", olga) == set()


def test_the_best_match_comes_first_and_pages_do_not_overlap(olga, open_incident):
    incident = open_incident("Hotline überlastet")
    for number in range(25):
        entries.add_note(incident.id, f"Hotline {number} ist besetzt.", actor=olga)
    entries.add_note(incident.id, "Die Filiale in Musterdorf bleibt heute geschlossen.", actor=olga)
    entries.add_note(incident.id, "Filiale, Filiale, Filiale: alle Filialen anrufen.", actor=olga)
    best = service.search("Filiale", actor=olga, limit=20)
    assert [str(hit.snippet) for hit in best] == [
        "<mark>Filiale</mark>, <mark>Filiale</mark>, <mark>Filiale</mark>: alle "
        "<mark>Filialen</mark> anrufen.",
        "Die <mark>Filiale</mark> in Musterdorf bleibt heute geschlossen.",
    ]
    first = service.search("Hotline", actor=olga, limit=20)
    rest = service.search("Hotline", actor=olga, limit=20, offset=20)
    assert len(first) == 20 and len(rest) == 6
    assert not {h.entry_id for h in first} & {h.entry_id for h in rest}


def test_an_edited_title_or_post_mortem_is_found_by_its_new_words_only(said, olga, mia):
    incident, ids = said
    incidents.update_incident(incident.id, actor=olga, title="Anmeldung gestört")
    assert found("Anmeldung", olga) == {ids["incident"]}
    assert found("Onlinebanking", olga) == set()
    review.update_postmortem(incident.id, actor=mia, lessons="Statusseite früher aktualisieren.")
    assert found("Statusseite", olga) == {("postmortem", incident.id)}
    review.update_postmortem(incident.id, actor=mia, lessons="Hotline früher besetzen.")
    assert found("Statusseite", olga) == set()
    assert found("Hotline", olga) == {("postmortem", incident.id)}


def test_an_entry_lives_and_dies_with_the_transaction_that_wrote_the_text(said, olga):
    incident, ids = said
    incidents.update_incident_in_transaction(incident.id, actor=olga, title="Geldautomat defekt")
    db.session.flush()  # the entry is written with the title, before any commit
    assert found("Geldautomat", olga) == {ids["incident"]}
    db.session.rollback()
    assert found("Geldautomat", olga) == set()
    assert found("Onlinebanking", olga) == {ids["incident"]}


def test_the_index_kept_in_step_equals_one_built_from_the_tables(said, olga, mia):
    incident, _ = said
    incidents.update_incident(incident.id, actor=olga, summary="Neu: Anmeldung klappt wieder.")
    review.update_postmortem(incident.id, actor=mia, lessons="Früher informieren.")
    db.session.rollback()

    def snapshot():
        rows = db.session.execute(
            select(
                SearchEntry.kind,
                SearchEntry.source_id,
                SearchEntry.incident_id,
                SearchEntry.text,
                SearchEntry.terms,
            )
        )
        return sorted(tuple(row) for row in rows)

    kept = snapshot()
    with db.engine.begin() as connection:
        assert rebuild(connection) == len(kept)
    db.session.rollback()
    assert snapshot() == kept
    assert found("Anmeldung klappt", olga) == {("incident", incident.id)}


@pytest.mark.parametrize("slack", [0, 1, 20])
def test_ranking_a_pool_first_gives_the_pages_the_whole_ranking_gives(
    slack, olga, mia, open_incident, monkeypatch
):
    """The pool is a shortcut: every page must equal the slice of the full, filtered ranking."""
    from crisisdesk.incidents.permissions import visible_clause
    from crisisdesk.search.terms import query_words

    monkeypatch.setattr(service, "POOL_SLACK", slack)
    shown = open_incident("Hotline")
    hidden = open_incident("Hotline intern", restricted=True, restriction_reason="Ermittlung")
    for number in range(12):  # hidden texts among the best, so short pools must grow
        entries.add_note(hidden.id, "Hotline " * (number % 4 + 1), actor=olga)
        entries.add_note(shown.id, f"Hotline {number} besetzt", actor=olga)
    words = query_words("Hotline")
    ranked = service._ranked(words)
    whole = [
        row.id for row in db.session.execute(service._found(ranked).where(visible_clause(mia)))
    ]
    assert len(whole) == 13  # the shown incident's title and its twelve notes
    for limit in (1, 3, 5):
        for offset in range(0, 14, limit):
            page = service.search("Hotline", actor=mia, limit=limit, offset=offset)
            assert [hit.entry_id for hit in page] == whole[offset : offset + limit]
