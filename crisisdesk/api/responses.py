"""Response endpoints: draft, revise, submit, approve, reject, publish, retract, read."""

from __future__ import annotations

from flask import jsonify

from ..responses import queries, service
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import iso


def response_json(response, full: bool = False) -> dict:
    """A response as the API shows it."""
    current = response.current
    data = {
        "id": response.id,
        "incident_id": response.incident_id,
        "channel": response.channel,
        "language": response.language,
        "status": response.status,
        "body": current.body,
        "revision": response.revision,
        "revision_hash": current.hash,
        "statement": response.statement_slug,
        "statement_version": _statement_version(response),
        "author": response.author.username,
        "approved_revision": response.approved_revision,
        "corrects": response.corrects_id,
        "published_at": iso(response.published_at),
        "published_url": response.published_url,
        "published_by": response.published_by.username if response.published_by else None,
        "retracted_at": iso(response.retracted_at),
        "retract_reason": response.retract_reason,
    }
    if full:
        data["revisions"] = [
            {
                "number": r.number,
                "body": r.body,
                "hash": r.hash,
                "author": r.author.username,
                "created_at": iso(r.created_at),
            }
            for r in response.revisions
        ]
        data["reviews"] = [
            {
                "revision": r.revision,
                "decision": r.decision,
                "comment": r.comment,
                "reviewer": r.reviewer.username,
                "at": iso(r.at),
            }
            for r in response.reviews
        ]
    return data


def _statement_version(response) -> str | None:
    if response.statement_version_id is None:
        return None
    from ..extensions import db
    from ..library.models import ContentVersion

    return db.session.get(ContentVersion, response.statement_version_id).sha256


@bp.post("/incidents/<int:incident_id>/responses")
def draft_response(incident_id: int):
    """Draft a response from a statement (pre-approved if verbatim and approved) or free text; say why a draft."""
    body = only_fields(
        json_body(), {"channel", "language", "statement", "values", "body", "corrects"}
    )
    response = service.draft_response(
        incident_id, actor=actor(), channel=body.pop("channel", None), **body
    )
    return jsonify(
        {
            **response_json(response),
            "draft_reason": response.draft_reason,
            "draft_message": response.draft_message,
        }
    ), 201


@bp.get("/incidents/<int:incident_id>/responses")
def list_responses(incident_id: int):
    """The incident's responses."""
    from ..incidents.queries import get_incident

    incident = get_incident(incident_id, actor=actor())
    return jsonify(
        {
            "items": [response_json(r) for r in queries.for_incident(incident.id)],
            "next_cursor": None,
        }
    )


@bp.get("/responses/<int:response_id>")
def get_response(response_id: int):
    """A response with its revisions and reviews."""
    return jsonify(response_json(service.get_response(response_id, actor=actor()), full=True))


@bp.patch("/responses/<int:response_id>")
def revise_response(response_id: int):
    """A new revision of the text; back to draft."""
    body = only_fields(json_body(), {"body"})
    return jsonify(
        response_json(service.revise_response(response_id, body.get("body"), actor=actor()))
    )


@bp.post("/responses/<int:response_id>/submit")
def submit_response(response_id: int):
    """Ask legal to review."""
    only_fields(json_body(), set())
    return jsonify(response_json(service.submit_response(response_id, actor=actor())))


@bp.post("/responses/<int:response_id>/approve")
def approve_response(response_id: int):
    """Legal approves (not the author)."""
    body = only_fields(json_body(), {"comment"})
    return jsonify(
        response_json(
            service.approve_response(response_id, actor=actor(), comment=body.get("comment"))
        )
    )


@bp.post("/responses/<int:response_id>/reject")
def reject_response(response_id: int):
    """Legal rejects with a comment (not the author)."""
    body = only_fields(json_body(), {"comment"})
    return jsonify(
        response_json(
            service.reject_response(response_id, actor=actor(), comment=body.get("comment"))
        )
    )


@bp.post("/responses/<int:response_id>/publish")
def publish_response(response_id: int):
    """Record the publication, once."""
    body = only_fields(json_body(), {"url", "published_at"})
    return jsonify(
        response_json(
            service.publish_response(
                response_id,
                actor=actor(),
                url=body.get("url"),
                published_at=body.get("published_at"),
            )
        )
    )


@bp.post("/responses/<int:response_id>/retract")
def retract_response(response_id: int):
    """Record a retraction with its reason."""
    body = only_fields(json_body(), {"reason"})
    return jsonify(
        response_json(service.retract_response(response_id, body.get("reason"), actor=actor()))
    )
