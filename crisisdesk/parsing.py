"""Reading plain values out of text a client sent (a form, a query string, a JSON body)."""

from __future__ import annotations


def plain_int(value, maximum: int = 2**31 - 1) -> int | None:
    """ASCII digits within 0 … maximum as an int, else None (str.isdigit() also accepts '²')."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text or len(text) > 10 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= maximum else None
