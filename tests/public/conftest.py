"""An outage with its dark page put live: the people, the incident and helpers to publish."""

from datetime import UTC, datetime

import pytest

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.public.refresh import refresh_site
from crisisdesk.responses import publishing
from crisisdesk.responses import service as responses

DARK = "it-outage-page-en"
DARK_DE = "it-outage-page-de"
VALUES = {
    "affected": "online banking and the app",
    "since": "2026-11-29T09:00",
    "workaround": "You can get cash in our branches during the usual opening hours.",
    "next_update": "11:00",
}
VALUES_DE = {
    "affected": "Online-Banking und App",
    "since": "2026-11-29T09:00",
    "workaround": "Bargeld erhalten Sie in unseren Filialen zu den üblichen Öffnungszeiten.",
    "next_update": "11:00",
}


@pytest.fixture
def people(app, make_user):
    """oncall olga (opens, so leads), oncall otto (no role on it), legal lena, admin ada."""
    return {
        "olga": make_user("olga", roles=["oncall"], display_name="Olga Oncall-Secret"),
        "otto": make_user("otto", roles=["oncall"]),
        "lena": make_user("lena", roles=["legal"], display_name="Lena Legal-Secret"),
        "ada": make_user("ada", roles=["admin"]),
    }


@pytest.fixture
def outage(people, clock):
    """An open outage whose playbook has the dark page; its German and English pages approved."""
    clock.freeze(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    for slug in (DARK, DARK_DE):
        library.approve_statement(slug, actor=people["lena"])
    return incidents.open_incident(
        actor=people["olga"],
        title="INTERNAL-TITLE provider core banking down",
        severity=2,
        playbook="it-provider-outage-en",
        summary="INTERNAL-SUMMARY the provider's data centre lost power",
    )


@pytest.fixture
def publish(outage, people):
    """publish(values=…, statement=…, body=…, corrects=…) → the published website response."""

    def go(values=VALUES, statement=DARK, body=None, corrects=None, language="en"):
        olga = people["olga"]
        fields = {"channel": "website", "language": language, "corrects": corrects}
        if body is None:
            fields.update(statement=statement, values=values)
        else:
            fields.update(body=body)
        response = responses.draft_response(outage.id, actor=olga, **fields)
        if response.status != "preapproved":
            responses.submit_response(response.id, actor=olga)
            responses.approve_response(response.id, actor=people["lena"])
        return publishing.publish_response(response.id, actor=olga)

    return go


@pytest.fixture
def site(app):
    """site() → the worker's rewrite of the public files (True if it wrote)."""

    def write():
        result = refresh_site()
        db.session.rollback()
        return result

    return write
