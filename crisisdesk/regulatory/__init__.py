"""Regulatory clocks: DORA major-incident reporting and the GDPR's 72 hours."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, current_app

from .deadlines import Calendar

EXTENSION = "crisisdesk.regulatory"


def init_app(app: Flask) -> None:
    """Build the bank's calendar once; a country, state or entity type it cannot use stops start."""
    try:
        calendar = Calendar(
            ZoneInfo(app.config["TIMEZONE"]),
            app.config["REGULATORY_COUNTRY"],
            app.config["REGULATORY_SUBDIVISION"] or None,
            app.config["DORA_ENTITY_TYPE"],
        )
    except (NotImplementedError, ValueError, KeyError) as exc:
        raise RuntimeError(f"The regulatory calendar cannot be built: {exc}") from exc
    app.extensions[EXTENSION] = calendar
    from .criteria import rule_label

    app.jinja_env.globals["rule_label"] = rule_label
    leads = app.config["REGULATORY_REMINDER_MINUTES"]
    if (
        not isinstance(leads, list | tuple)
        or not all(type(m) is int and 0 < m <= 7 * 24 * 60 for m in leads)
        or len(set(leads)) != len(leads)
    ):
        raise RuntimeError(
            "REGULATORY_REMINDER_MINUTES must be distinct whole minutes from 1 to 10080, "
            f"e.g. [60, 15]; got {leads!r}"
        )


def bank_calendar() -> Calendar:
    """The calendar regulatory deadlines are computed in."""
    return current_app.extensions[EXTENSION]
