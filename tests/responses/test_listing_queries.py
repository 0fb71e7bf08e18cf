"""Listing responses reads them in a fixed number of queries, however many there are."""

from crisisdesk.accounts.models import User
from crisisdesk.api.serialise import responses_json
from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident
from crisisdesk.library import service as library
from crisisdesk.responses import queries, service

from ..counting import counted_statements
from .conftest import SOCIAL, VALUES, response_count


def add_responses(incident, olga, lena, total: int) -> None:
    """Alternate pre-approved statement texts and free texts legal reviewed."""
    while response_count() < total:
        if response_count() % 2 == 0:
            service.draft_response(
                incident.id, actor=olga, channel="facebook", statement=SOCIAL, values=VALUES
            )
        else:
            draft = service.draft_response(
                incident.id, actor=olga, channel="x", body=f"Update {response_count()}"
            )
            service.submit_response(draft.id, actor=olga)
            service.reject_response(draft.id, actor=lena, comment="Shorter, please.")
            service.revise_response(draft.id, "Shorter.", actor=olga)


def test_the_api_lists_20_responses_in_as_many_queries_as_2(
    api, incident, olga, lena, approved, token_for
):
    headers = token_for(olga)
    api("get", f"/incidents/{incident.id}/responses", headers)  # first request: library sync
    counts = []
    for total in (2, 20):
        add_responses(incident, olga, lena, total)
        with counted_statements() as statements:
            reply = api("get", f"/incidents/{incident.id}/responses", headers)
        assert reply.status_code == 200 and len(reply.json["items"]) == total
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    from_statement = [item for item in reply.json["items"] if item["statement"] == SOCIAL]
    assert len(from_statement) == 10
    sha256 = library.get_statement(SOCIAL).sha256
    assert all(item["statement_version"] == sha256 for item in from_statement)


def test_full_listing_with_revisions_and_reviews_runs_a_fixed_number_of_queries(
    incident, olga, lena, approved
):
    ids = (incident.id, olga.id, lena.id)
    counts = []
    for total in (2, 20):
        incident, olga, lena = (
            db.session.get(model, id_)
            for model, id_ in zip((Incident, User, User), ids, strict=True)
        )
        add_responses(incident, olga, lena, total)
        db.session.commit()
        db.session.expunge_all()  # nothing loaded before: every read below is counted
        with counted_statements() as statements:
            items = responses_json(queries.for_incident(ids[0]), full=True)
        counts.append(len(statements))
        assert len(items) == total
    assert counts[0] == counts[1] <= 5, counts  # responses, revisions, reviews, hashes (+ BEGIN)
    revised = next(item for item in items if item["revision"] == 2)
    assert [r["author"] for r in revised["revisions"]] == ["olga", "olga"]
    assert [(r["decision"], r["reviewer"]) for r in revised["reviews"]] == [("rejected", "lena")]
