"""A dark page goes live as a website response, through the fast path or legal's review."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.public.models import PublicNotice
from crisisdesk.public.notices import change_notice
from crisisdesk.responses.publishing import retract_response

from .conftest import DARK_DE, VALUES, VALUES_DE


def notice_path(outage, language="en"):
    notice = db.session.query(PublicNotice).filter_by(incident_id=outage.id).one()
    folder = "" if language == "de" else f"{language}/"
    return f"/public/{folder}notices/{notice.public_id}"


def test_the_dark_page_goes_live_pre_approved_and_the_page_shows_it(client, outage, publish, site):
    response = publish()
    assert response.status == "published" and response.reviews == []
    assert site() is True
    page = client.get(notice_path(outage))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Disruption to cards, ATMs or online banking" in html
    assert "online banking and the app" in html
    assert "Volksbank Musterstadt eG" in html
    index = client.get("/public/en/").get_data(as_text=True)
    assert notice_path(outage) in index


def test_an_edited_text_goes_live_only_after_legal_approves(client, outage, publish, people, site):
    response = publish(body="## Disruption\n\nOnline banking is down. We are on it.")
    assert [review.decision for review in response.reviews] == ["approved"]
    site()
    html = client.get(notice_path(outage)).get_data(as_text=True)
    assert "Online banking is down. We are on it." in html


def test_a_draft_that_waits_for_legal_is_not_public(client, outage, people, site):
    from crisisdesk.responses import service as responses

    draft = responses.draft_response(
        outage.id, actor=people["olga"], channel="website", body="Not yet approved text"
    )
    responses.submit_response(draft.id, actor=people["olga"])
    site()
    assert db.session.query(PublicNotice).count() == 0
    assert "Not yet approved text" not in client.get("/public/en/").get_data(as_text=True)


def test_updates_show_newest_first_in_both_languages(client, outage, publish, clock, site):
    publish()
    clock.advance(minutes=30)
    publish(statement=DARK_DE, values={**VALUES_DE, "next_update": "12:00"}, language="de")
    site()
    german = client.get(notice_path(outage, "de")).get_data(as_text=True)
    assert german.index("12:00") < german.index("11:00")
    assert 'lang="en"' in german  # the English update is marked as such on the German page
    assert "Störung bei Karten, Geldautomaten oder Online-Banking" in german
    assert 'hreflang="en"' in german


def test_a_retracted_update_leaves_a_dated_withdrawn_line(
    client, outage, publish, people, clock, site
):
    first = publish()
    clock.advance(minutes=10)
    retract_response(first.id, "Wrong service named", actor=people["olga"])
    site()
    html = client.get(notice_path(outage)).get_data(as_text=True)
    assert "online banking and the app" not in html
    assert "The update of 29 November 2026, 10:00 was withdrawn on 29 November 2026, 10:10." in html
    assert "Wrong service named" not in html


def test_a_correction_is_marked_updated_and_names_the_corrected_time(
    client, outage, publish, clock, site
):
    first = publish()
    clock.advance(minutes=5)
    publish(values={**VALUES, "affected": "card payments"}, corrects=first.id)
    site()
    html = client.get(notice_path(outage)).get_data(as_text=True)
    assert "Updated" in html and "(corrects the update of 29 November 2026, 10:00)" in html
    assert "Corrected on 29 November 2026, 10:05" in html


def test_the_reference_shows_only_when_the_lead_chooses(client, outage, publish, people, site):
    publish()
    site()
    assert outage.ref not in client.get(notice_path(outage)).get_data(as_text=True)
    change_notice(outage.id, actor=people["olga"], show_ref=True)
    site()
    assert f"Reference: {outage.ref}" in client.get(notice_path(outage)).get_data(as_text=True)


def test_only_the_lead_or_an_admin_changes_the_notice(outage, publish, people):
    from crisisdesk.errors import Forbidden

    publish()
    with pytest.raises(Forbidden):
        change_notice(outage.id, actor=people["otto"], show_ref=True)
    assert change_notice(outage.id, actor=people["ada"], ended=True).ended_at is not None


def test_an_ended_notice_leaves_the_index_but_keeps_its_page(client, outage, publish, people, site):
    publish()
    change_notice(outage.id, actor=people["olga"], ended=True)
    site()
    assert notice_path(outage) not in client.get("/public/en/").get_data(as_text=True)
    html = client.get(notice_path(outage)).get_data(as_text=True)
    assert "This notice ended on 29 November 2026, 10:00" in html


def test_closing_the_incident_takes_its_notice_off_the_index(
    client, outage, publish, people, clock
):
    from crisisdesk.incidents import service as incidents
    from crisisdesk.notify import worker
    from crisisdesk.review import service as review

    publish()
    worker.tick()  # the worker writes the site as part of its round
    assert notice_path(outage) in client.get("/public/en/").get_data(as_text=True)
    review.update_postmortem(outage.id, actor=people["olga"], summary="Provider fixed it.")
    clock.advance(hours=2)
    for status in ("monitoring", "resolved", "closed"):
        incidents.update_incident(outage.id, actor=people["olga"], status=status)
    worker.tick()
    db.session.rollback()
    assert notice_path(outage) not in client.get("/public/en/").get_data(as_text=True)
    assert "This notice ended on 29 November 2026, 12:00" in client.get(
        notice_path(outage)
    ).get_data(as_text=True)
