"""The notice in the room and the API: put the dark page live, see where it is, keep it."""

from crisisdesk.extensions import db
from crisisdesk.public.models import PublicNotice

from ..conftest import login, signed_in_client


def test_the_room_offers_the_dark_page_in_both_languages_before_anything_is_live(client, outage):
    login(client, "olga")
    html = client.get(f"/incidents/{outage.id}").get_data(as_text=True)
    assert 'id="public-notice"' in html
    assert f"/incidents/{outage.id}/responses/new?statement=it-outage-page-en" in html
    assert f"/incidents/{outage.id}/responses/new?statement=it-outage-page-de" in html
    assert "Put the dark page live (EN)" in html and "End the public notice" not in html


def test_the_draft_form_fills_the_dark_page_for_the_website(client, outage):
    login(client, "olga")
    page = client.get(f"/incidents/{outage.id}/responses/new?statement=it-outage-page-en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="website"' in html and 'value="x"' not in html


def test_the_lead_shows_the_reference_and_ends_the_notice_from_the_room(client, outage, publish):
    publish()
    login(client, "olga")
    html = client.get(f"/incidents/{outage.id}").get_data(as_text=True)
    notice = db.session.query(PublicNotice).one()
    assert f"/public/en/notices/{notice.public_id}" in html and "Post an update (EN)" in html
    reply = client.post(
        f"/incidents/{outage.id}/public-notice", data={"change": "show_ref", "value": "1"}
    )
    assert reply.status_code == 302 and reply.headers["Location"].endswith("#public-notice")
    client.post(f"/incidents/{outage.id}/public-notice", data={"change": "ended", "value": "1"})
    db.session.rollback()
    notice = db.session.query(PublicNotice).one()
    assert notice.show_ref and notice.ended_at is not None
    html = client.get(f"/incidents/{outage.id}").get_data(as_text=True)
    assert "Put the notice live again" in html and "Hide the reference" in html


def test_someone_without_the_lead_cannot_change_it_and_odd_forms_lose_nothing(
    app, client, outage, publish
):
    publish()
    login(client, "otto")
    html = client.get(f"/incidents/{outage.id}").get_data(as_text=True)
    assert "End the public notice" not in html
    assert (
        client.post(
            f"/incidents/{outage.id}/public-notice", data={"change": "ended", "value": "1"}
        ).status_code
        == 403
    )
    client = signed_in_client(app, "olga")
    for data in ({}, {"change": "title", "value": "1"}, {"change": "ended\x00"}):
        reply = client.post(f"/incidents/{outage.id}/public-notice", data=data)
        assert reply.status_code in (302, 400, 422)
    db.session.rollback()
    assert db.session.query(PublicNotice).one().ended_at is None


def test_the_api_shows_and_changes_the_notice(client, outage, publish, people, token_for):
    olga, otto = token_for(people["olga"]), token_for(people["otto"])
    path = f"/api/v1/incidents/{outage.id}/public-notice"
    missing = client.get(path, headers=olga)
    assert missing.status_code == 404 and missing.json["error"]["reason"] == "no_notice"
    assert client.patch(path, headers=olga, json={"show_ref": True}).status_code == 422
    publish()
    shown = client.get(path, headers=otto).json
    assert shown["paths"]["en"] == f"/public/en/notices/{shown['public_id']}"
    assert shown["paths"]["de"] == f"/public/notices/{shown['public_id']}"
    assert client.patch(path, headers=otto, json={"ended": True}).status_code == 403
    bad = client.patch(path, headers=olga, json={"show_ref": "yes"})
    assert bad.status_code == 422 and bad.json["error"]["field"] == "show_ref"
    assert client.patch(path, headers=olga, json={"colour": "red"}).status_code in (400, 422)
    changed = client.patch(path, headers=olga, json={"show_ref": True, "ended": True}).json
    assert changed["show_ref"] is True and changed["ended_at"] == "2026-11-29T09:00:00Z"
