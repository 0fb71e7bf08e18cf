"""What an uploaded file really is (read from its first bytes, never its name), and image
metadata removed without touching a pixel: EXIF, XMP, IPTC and comments from JPEG, text, time and
EXIF chunks from PNG. Pure functions on bytes."""

from __future__ import annotations

import struct

SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}
#: JPEG segments that carry metadata: APP1 (EXIF, XMP), APP2-APP15 but APP14 (colour), COM
_JPEG_METADATA = {0xE1, *range(0xE2, 0xEE), 0xEF, 0xFE}
#: PNG chunks that carry metadata rather than the picture
_PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def sniff(data: bytes) -> str | None:
    """The content type the bytes begin with, or None for anything not accepted."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The image without its metadata (a PDF, or an image that does not parse, comes back as is)."""
    try:
        if content_type == "image/jpeg":
            return _strip_jpeg(data)
        if content_type == "image/png":
            return _strip_png(data)
    except (IndexError, struct.error, ValueError):
        return data
    return data


def _strip_jpeg(data: bytes) -> bytes:
    out, at = bytearray(data[:2]), 2
    while at < len(data):
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows, kept whole
            out += data[at:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:
            out += data[at : at + 2]
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        segment = data[at : at + 2 + length]
        if marker not in _JPEG_METADATA:
            out += segment
        at += 2 + length
    return bytes(out)


def _strip_png(data: bytes) -> bytes:
    out, at = bytearray(data[:8]), 8
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        kind = data[at + 4 : at + 8]
        chunk = data[at : at + 12 + length]
        if len(chunk) != 12 + length:
            raise ValueError("truncated chunk")
        if kind not in _PNG_METADATA:
            out += chunk
        at += 12 + length
    return bytes(out)
