"""Reading a pasted address: what kind of fake it is, on which platform, and the key that makes
the same fake pasted twice (with tracking parameters, www., a trailing slash) one item."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

#: hosts of the platforms (and their short links) → platform
HOSTS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "linkedin.com": "linkedin",
    "xing.com": "xing",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "whatsapp.com": "whatsapp",
    "wa.me": "whatsapp",
    "threads.net": "threads",
    "play.google.com": "app_store",
    "apps.apple.com": "app_store",
}
#: path parts that make an address on a platform a single post rather than a profile
POST_PATHS = ("/status/", "/posts/", "/p/", "/reel/", "/video/", "/watch", "/permalink")
#: query parameters that say who shared or clicked, never which page: dropped from the key
TRACKING = re.compile(r"^(utm_|fbclid$|igshid$|gclid$|mibextid$|si$|s$|t$|ref$|ref_src$)")
PHONE = re.compile(r"^\+?[0-9][0-9 ()/.\-]{5,25}$")
DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
KINDS = ("profile", "post", "domain", "phone", "app")


def read_address(text: str) -> tuple[str, str, str] | None:
    """(kind, platform, key) of a pasted link, bare domain or phone number; None if it is none."""
    value = text.strip()
    if PHONE.match(value) and sum(ch.isdigit() for ch in value) >= 6:
        return (
            "phone",
            "other",
            "tel:" + ("+" if value.startswith("+") else "") + re.sub(r"\D", "", value),
        )
    if DOMAIN.match(value.lower()):
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:  # brackets around no valid IPv6 address
        return None
    if parts.scheme.lower() not in ("http", "https") or not DOMAIN.match(host):
        return None
    host = re.sub(r"^(www\.|m\.|mobile\.)", "", host)
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k)))
    key = host + path + ("?" + query if query else "")
    platform = HOSTS.get(host) or HOSTS.get(".".join(host.split(".")[-2:])) or "website"
    return _kind(platform, path), platform, key


def _kind(platform: str, path: str) -> str:
    if platform == "app_store":
        return "app"
    if platform == "website":
        return "domain"
    if any(part in path + "/" for part in POST_PATHS):
        return "post"
    return "profile"


def display_name(kind: str, address: str) -> str:
    """How a warning names a fake: @handle for a profile, the host for a site, else as given."""
    if kind == "phone" or not address.startswith(("http://", "https://")):
        return address
    parts = urlsplit(address)  # stored addresses were read by read_address(): they split
    if kind in ("domain", "app"):
        return (parts.hostname or address).removeprefix("www.")
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    if kind == "profile" and segment:
        return segment if segment.startswith("@") else "@" + segment
    return address
