"""Extract user-facing strings, update the de and en catalogues, and report gaps.

English is the source language, so the en catalogue copies each msgid; the German
catalogue must be translated by a person. Exit status 1 lists untranslated German
messages, so `make extract-messages` shows what still needs a translator.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "crisisdesk" / "translations"
POT = TRANSLATIONS / "messages.pot"


def run(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> int:
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "raw_gettext",
        "--no-location",
        "--sort-output",
        "-o",
        str(POT),
        ".",
    )
    for locale in ("de", "en"):
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        run(
            command,
            "-i",
            str(POT),
            "-d",
            str(TRANSLATIONS),
            "-l",
            locale,
            *(["--no-fuzzy-matching"] if command == "update" else []),
        )
    english_path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with english_path.open("rb") as handle:
        english = read_po(handle, locale="en")
    for message in english:
        if message.id:
            message.string = message.id
    with english_path.open("wb") as handle:
        write_po(handle, english, omit_header=False, sort_output=True)
    with (TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        german = read_po(handle, locale="de")
    missing = [
        message.id
        for message in german
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    for msgid in missing:
        print(f"untranslated (de): {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
