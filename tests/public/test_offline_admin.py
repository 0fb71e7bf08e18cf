"""The admin page of the offline bundle: the key, the schedule, and a download for admins only."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from crisisdesk.errors import Forbidden
from crisisdesk.extensions import db
from crisisdesk.people import contacts
from crisisdesk.public import offline, offline_schedule
from crisisdesk.public.manifest import check_copy, read_copy
from crisisdesk.public.signing import desk_public_key
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import csrf_token_from, login, signed_in_client


@pytest.fixture
def admin(app, make_user, clock):
    user = make_user("ada", roles=["admin"])
    contacts.create_contact(actor=user, name="Zacharias Unverwechselbar", phones=["+49 30 555"])
    return user


def _zip(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_page_shows_the_desks_public_key_and_fingerprint(client, admin):
    login(client, "ada")
    page = client.get("/admin/offline/").get_data(as_text=True)
    key = desk_public_key(create=False)
    assert key.base64 in page and key.fingerprint_grouped in page
    assert "No folder is configured" in page
    assert 'name="contacts"' in page and 'name="rotas"' in page
    assert 'href="/admin/offline/"' in client.get("/").get_data(as_text=True)  # in the menu


def test_the_page_shows_the_last_scheduled_bundle(app, client, admin, tmp_path):
    app.config["OFFLINE_DIR"] = str(tmp_path / "offline")
    assert offline_schedule.refresh_offline_bundle_if_due()
    login(client, "ada")
    page = client.get("/admin/offline/").get_data(as_text=True)
    newest = offline_schedule.scheduled_bundles()[0]
    assert "2026-11-29 10:00" in page  # the frozen clock's 09:00 UTC in the admin's zone
    assert str(newest.folder) in page and newest.sha256 in page
    assert "It includes no contacts and no rotas." in page


def test_the_download_is_a_verifiable_zip_attachment_without_contacts_by_default(
    client, admin, tmp_path
):
    login(client, "ada")
    response = client.post("/admin/offline/", data={})
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "crisisdesk-offline-20261129T090000Z.zip" in disposition
    files = _zip(response)
    assert all(name.startswith("crisisdesk-offline-20261129T090000Z/") for name in files)
    assert b"Unverwechselbar" not in b"".join(files.values())
    download = tmp_path / "download.zip"
    download.write_bytes(response.data)
    report = check_copy(read_copy(download), [("this desk's key", desk_public_key())])
    assert report.ok and report.checked == len(files) - 2


def test_the_checkboxes_choose_the_personal_data(client, admin):
    login(client, "ada")
    response = client.post("/admin/offline/", data={"contacts": "y"})
    files = _zip(response)
    contacts_page = next(name for name in files if name.endswith("/en/contacts.html"))
    assert b"Zacharias Unverwechselbar" in files[contacts_page]
    assert not any(name.endswith("/en/rotas.html") for name in files)
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "offline_bundle_made")
    ).one()
    assert event.actor_name == "ada"
    assert json.loads(event.data)["contacts"] is True


@pytest.mark.parametrize("role", ["oncall", "legal", "management", "compliance"])
def test_everyone_but_admins_is_refused(client, make_user, role, clock):
    user = make_user("someone", roles=[role])
    login(client, "someone")
    assert client.get("/admin/offline/").status_code == 403
    assert client.post("/admin/offline/", data={}).status_code == 403
    with pytest.raises(Forbidden):
        offline.download_bundle(actor=user)
    with pytest.raises(Forbidden):
        offline_schedule.offline_page(actor=user)
    assert (
        db.session.scalar(
            select(TimelineEvent.seq).where(TimelineEvent.kind == "offline_bundle_made")
        )
        is None
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, admin):
    response = client.get("/admin/offline/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert client.post("/admin/offline/").status_code == 302


def test_the_download_form_needs_its_csrf_token(csrf_app, make_user, clock):
    make_user("ada", roles=["admin"])
    client = signed_in_client(csrf_app, "ada")
    assert client.post("/admin/offline/", data={"contacts": "y"}).status_code in (400, 422)
    token = csrf_token_from(client.get("/admin/offline/").data)
    response = client.post("/admin/offline/", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/zip"
