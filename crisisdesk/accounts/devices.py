"""A short name for the device behind a User-Agent, so people recognise their own sessions."""

from __future__ import annotations

import re

from flask_babel import gettext as _

#: first match wins: Edge, Opera and Samsung's browser
#: also say "Chrome", and Chrome also says "Safari"
BROWSERS = [
    (re.compile(r"Edg(?:e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|OPiOS/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Version/[\d.]+.*Safari/"), "Safari"),
    (re.compile(r"^curl/"), "curl"),
    (re.compile(r"python-requests|python-urllib|python-httpx", re.IGNORECASE), "Python"),
]
#: Android says "Linux" too, and iPadOS says "Macintosh" unless it asks for the mobile site
SYSTEMS = [
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Macintosh|Mac OS X"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux|X11"), "Linux"),
]
JOINER = " on "
MAX_LENGTH = 80


def _first(patterns, text: str) -> str | None:
    return next((name for pattern, name in patterns if pattern.search(text)), None)


def describe_device(user_agent: str | None) -> str:
    """'Firefox on Android' (stored as is); '' when
    the User-Agent names neither browser nor system.
    """
    text = (user_agent or "")[:512]
    browser, system = _first(BROWSERS, text), _first(SYSTEMS, text)
    if browser and system:
        return f"{browser}{JOINER}{system}"[:MAX_LENGTH]
    return (browser or system or "")[:MAX_LENGTH]


def device_label(device: str | None) -> str:
    """A stored device description in the reader's language."""
    if not device:
        return _("Unknown device")
    browser, joiner, system = device.partition(JOINER)
    return _("%(browser)s on %(system)s", browser=browser, system=system) if joiner else device
