"""Evidence uploads: type read from the bytes, limits, metadata stripped without touching the
picture, files served only to readers as attachments, a changed or missing file caught by verify."""

import hashlib
import io
import struct
import zlib
from datetime import UTC, datetime

import pytest

from crisisdesk.audit.records import verify_records
from crisisdesk.errors import Forbidden, Invalid, NotFound
from crisisdesk.impersonation import case_views, evidence
from crisisdesk.impersonation.filetypes import sniff, strip_metadata
from crisisdesk.incidents import service as incidents

from ..conftest import login

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
GPS = b"GPSLatitude 49.79N GPSLongitude 9.95E"


def png(*extra_chunks: tuple[bytes, bytes]) -> bytes:
    """A valid 1 × 1 PNG with the given chunks before its picture data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    picture = chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + b"".join(chunk(k, b) for k, b in extra_chunks)
        + picture
        + chunk(b"IEND", b"")
    )


def jpeg_with_exif() -> bytes:
    """A JPEG's segments: EXIF (APP1) with a position, a comment, the picture's tables and scan."""
    exif = b"Exif\x00\x00" + GPS
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    comment = b"\xff\xfe" + struct.pack(">H", 9) + b"Phone X"
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    table = b"\xff\xdb" + struct.pack(">H", 4) + b"\x00\x01"
    scan = b"\xff\xda" + struct.pack(">H", 4) + b"\x00\x00" + b"PIXELS" + b"\xff\xd9"
    return b"\xff\xd8" + jfif + app1 + comment + table + scan


@pytest.fixture
def case(app, make_user, clock, tmp_path):
    clock.freeze(NOW)
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    olga = make_user("olga", roles=["oncall"])
    lena = make_user("lena", roles=["legal"])
    incident = incidents.open_incident(
        actor=olga, title="Fake support", severity=2, playbook="fake-support-accounts-en"
    )
    return {"olga": olga, "lena": lena, "incident": incident}


def test_the_type_comes_from_the_bytes_not_the_name():
    assert sniff(png()) == "image/png"
    assert sniff(jpeg_with_exif()) == "image/jpeg"
    assert sniff(b"%PDF-1.7\n") == "application/pdf"
    assert sniff(b"<html><script>alert(1)</script>") is None
    assert sniff(b"MZ\x90\x00") is None  # a program renamed to screenshot.png


def test_stripping_removes_the_position_and_keeps_the_picture():
    photo = jpeg_with_exif()
    clean = strip_metadata(photo, "image/jpeg")
    assert GPS not in clean and b"Phone X" not in clean
    assert clean.endswith(b"PIXELS\xff\xd9") and b"JFIF" in clean and b"\xff\xdb" in clean
    tagged = png((b"tEXt", b"GPS\x00" + GPS), (b"eXIf", GPS))
    cleaned = strip_metadata(tagged, "image/png")
    assert GPS not in cleaned and cleaned == png()
    assert strip_metadata(b"\xff\xd8\xff\xe1\x00", "image/jpeg") == b"\xff\xd8\xff\xe1\x00"


def test_uploads_are_kept_by_hash_once_and_limits_name_the_file_field(app, case):
    olga, incident = case["olga"], case["incident"]
    row = evidence.add_evidence(
        incident.id, jpeg_with_exif(), "IMG_0001.jpg", actor=olga, strip=True
    )
    stored = evidence.path_of(row.sha256).read_bytes()
    assert GPS not in stored and hashlib.sha256(stored).hexdigest() == row.sha256 and row.stripped
    again = evidence.add_evidence(incident.id, jpeg_with_exif(), "copy.jpg", actor=olga, strip=True)
    assert again.id == row.id
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    for data, reason in (
        (b"", "empty_file"),
        (b"%PDF-" + b"x" * 1000, "too_big"),
        (b"GIF89a...", "bad_type"),
        (b"<svg onload=alert(1)>", "bad_type"),
    ):
        with pytest.raises(Invalid) as refused:
            evidence.add_evidence(incident.id, data, "shot.png", actor=olga)
        assert (refused.value.reason, refused.value.field) == (reason, "file")
    with pytest.raises(Forbidden):
        evidence.add_evidence(incident.id, png(), "x.png", actor=case["lena"])


def test_a_changed_or_missing_file_is_caught_by_verify(app, case):
    row = evidence.add_evidence(case["incident"].id, png(), "p.png", actor=case["olga"])
    assert verify_records().ok
    path = evidence.path_of(row.sha256)
    path.write_bytes(png((b"tEXt", b"edited")))
    report = verify_records()
    assert not report.ok and (report.first.table, report.first.problem) == (
        "evidence",
        "file_differs",
    )
    path.unlink()
    assert verify_records().first.problem == "file_missing"


def test_files_go_to_readers_only_as_attachments(app, client, case, make_user):
    from crisisdesk.incidents import restriction

    secret = incidents.open_incident(
        actor=case["olga"],
        title="Staff matter",
        severity=2,
        playbook="fake-support-accounts-en",
        restricted=True,
        restriction_reason="Personnel",
    )
    row = evidence.add_evidence(secret.id, png(), "p.png", actor=case["olga"])
    otto = make_user("otto", roles=["oncall"])
    with pytest.raises(NotFound):
        evidence.read_evidence(row.id, actor=otto)
    restriction.add_member(secret.id, "otto", actor=case["olga"])
    login(client, "otto")
    got = client.get(f"/evidence/{row.id}")
    assert got.status_code == 200 and got.data == png()
    assert got.headers["Content-Disposition"] == f'attachment; filename="evidence-{row.id}.png"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    legal = app.test_client()
    login(legal, "lena")  # legal reads incidents but is no member of the restricted one
    assert legal.get(f"/evidence/{row.id}").status_code == 404


def test_the_page_and_the_api_take_a_file(client, case, token_for):
    incident = case["incident"].id
    login(client, "olga")
    sent = client.post(
        f"/incidents/{incident}/evidence",
        data={"file": (io.BytesIO(jpeg_with_exif()), "IMG_0002.jpg"), "strip": "y"},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    page = client.get(f"/incidents/{incident}/impersonations").get_data(as_text=True)
    assert "IMG_0002.jpg" in page and "metadata removed" in page
    disguised = client.post(
        f"/incidents/{incident}/evidence",
        data={"file": (io.BytesIO(b"MZ\x90\x00 program"), "screenshot.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Only PNG, JPEG and PDF" in disguised.get_data(as_text=True)
    olga = token_for(case["olga"])
    made = client.post(
        f"/api/v1/incidents/{incident}/evidence",
        headers=olga,
        data={"file": (io.BytesIO(b"%PDF-1.7 letter"), "letter.pdf")},
        content_type="multipart/form-data",
    )
    assert made.status_code == 201 and made.json["content_type"] == "application/pdf"
    empty = client.post(
        f"/api/v1/incidents/{incident}/evidence",
        headers=olga,
        data={"file": (io.BytesIO(b""), "empty.png")},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422 and empty.json["error"]["field"] == "file"
    listed = client.get(f"/api/v1/incidents/{incident}/evidence", headers=olga).json["items"]
    assert [e["content_type"] for e in listed] == ["application/pdf", "image/jpeg"]


def test_the_api_and_the_page_page_the_evidence(client, case, token_for, monkeypatch):
    olga, incident = case["olga"], case["incident"]
    rows = [
        evidence.add_evidence(incident.id, png((b"tEXt", b"n%d" % n)), f"{n}.png", actor=olga)
        for n in range(3)
    ]
    headers, path = token_for(olga), f"/api/v1/incidents/{incident.id}/evidence"
    first = client.get(path, headers=headers, query_string={"limit": 2}).json
    assert [item["id"] for item in first["items"]] == [rows[2].id, rows[1].id]
    rest = client.get(path, headers=headers, query_string={"cursor": first["next_cursor"]}).json
    assert [item["id"] for item in rest["items"]] == [rows[0].id]
    assert rest["next_cursor"] is None
    assert client.get(path, headers=headers, query_string={"limit": 0}).status_code == 422
    monkeypatch.setattr(case_views, "SHOWN", 2)
    login(client, "olga")
    text = client.get(f"/incidents/{incident.id}/impersonations").get_data(as_text=True)
    assert "2.png" in text and "1.png" in text and "0.png" not in text
    older = f"evidence_before={rows[1].id}#evidence"
    assert older in text
    text = client.get(f"/incidents/{incident.id}/impersonations?{older}").get_data(as_text=True)
    assert "0.png" in text and "1.png" not in text and "Older evidence" not in text
