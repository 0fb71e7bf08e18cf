"""Search fixtures: people on the desk, an incident and a way to publish a text in it."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import publishing
from crisisdesk.responses import service as responses

from ..responses import conftest as responses_fixtures

#: the same on-call drafter (olga, who leads what she opens) and legal reviewer (lena)
olga = responses_fixtures.olga
lena = responses_fixtures.lena


@pytest.fixture
def mia(app, make_user):
    """Management: reads every incident that is not restricted."""
    return make_user("mia", roles=["management"])


@pytest.fixture
def open_incident(olga, clock):
    """open_incident(title, **fields) → an incident led by olga."""

    def make(title, **fields):
        fields.setdefault("severity", 2)
        fields.setdefault("playbook", "it-provider-outage-en")
        return incidents.open_incident(actor=olga, title=title, **fields)

    return make


@pytest.fixture
def publish(olga, lena):
    """publish(incident, body) → a free text approved by legal and published on Facebook."""

    def make(incident, body):
        response = responses.draft_response(
            incident.id, actor=olga, channel="facebook", body=body, audience="public"
        )
        responses.submit_response(response.id, actor=olga)
        responses.approve_response(response.id, actor=lena)
        publishing.publish_response(response.id, actor=olga)
        db.session.rollback()
        return response

    return make
