"""The public files over HTTP: validators and 304s, kept bytes never stale, nothing else served."""

import os

import pytest

from crisisdesk.extensions import db
from crisisdesk.public.models import PublicNotice
from crisisdesk.public.render import site_dir
from crisisdesk.public.serving import relative_file

from .conftest import VALUES


def public_id(outage):
    return db.session.query(PublicNotice).filter_by(incident_id=outage.id).one().public_id


def test_etag_and_last_modified_answer_304(client, outage, publish, site):
    publish()
    site()
    page = client.get("/public/en/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in page.headers
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    etag, modified = page.headers["ETag"], page.headers["Last-Modified"]
    again = client.get("/public/en/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/public/en/", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/public/en/", headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head("/public/en/")
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag


def test_a_new_update_changes_the_etag_and_an_unchanged_page_keeps_it(
    client, outage, publish, clock, site
):
    publish()
    site()
    path = f"/public/en/notices/{public_id(outage)}"
    notice_tag = client.get(path).headers["ETag"]
    channels_tag = client.get("/public/en/channels").headers["ETag"]
    clock.advance(minutes=15)
    publish(values={**VALUES, "next_update": "12:00"})
    assert site() is True
    fresh = client.get(path, headers={"If-None-Match": notice_tag})
    assert fresh.status_code == 200 and "12:00" in fresh.get_data(as_text=True)
    assert client.get("/public/en/channels").headers["ETag"] == channels_tag


def test_kept_bytes_are_always_the_file_on_disk(app, client, outage, publish, clock, site):
    publish()
    site()
    directory = site_dir()
    for round_ in range(3):
        clock.advance(minutes=5)
        publish(values={**VALUES, "next_update": f"1{round_}:30"})
        site()
        for relative in ("index.html", "en/index.html", "feed.atom", "feed.json"):
            served = client.get("/public/" + relative.removesuffix("index.html"))
            assert served.data == (directory / relative).read_bytes()


def test_a_page_the_worker_has_not_written_yet_is_written_on_first_request(client, outage, publish):
    publish()  # no worker round: nothing on disk yet
    assert not (site_dir() / "index.html").exists()
    page = client.get(f"/public/en/notices/{public_id(outage)}")
    assert page.status_code == 200 and "online banking and the app" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/public/en/notices/does-not-exist",
        "/public/../instance/crisisdesk.sqlite",
        "/public/notices/..%2f..%2fapp.py",
        "/public/.tmp-x",
        "/public/en/notices/x/y/z",
    ],
)
def test_anything_else_is_a_public_404(client, outage, publish, site, path):
    publish()
    site()
    page = client.get(path)
    assert page.status_code == 404
    assert "Set-Cookie" not in page.headers
    english = "/public/en/" in path
    assert ("Page not found" if english else "Seite nicht gefunden") in page.get_data(as_text=True)


def test_file_names_cannot_climb_out_of_the_folder():
    assert relative_file("") == "index.html"
    assert relative_file("en/") == "en/index.html"
    assert relative_file("notices/2026-11-29-ab12") == "notices/2026-11-29-ab12.html"
    assert relative_file("feed.atom") == "feed.atom"
    for bad in ("..", "../x", "a/../b", ".hidden", "a//b", "x.HTML/..", "a\\b"):
        assert relative_file(bad) is None


def test_the_worker_writes_only_after_a_public_change(outage, publish, people, site):
    from crisisdesk.incidents import entries as incidents

    assert site() is True  # the first round writes the empty site
    assert site() is False
    incidents.add_note(outage.id, "INTERNAL note", actor=people["olga"])
    assert site() is False
    publish()
    assert site() is True
    mtimes = {p: os.stat(p).st_mtime_ns for p in site_dir().rglob("*") if p.is_file()}
    assert site() is False
    assert mtimes == {p: os.stat(p).st_mtime_ns for p in site_dir().rglob("*") if p.is_file()}
