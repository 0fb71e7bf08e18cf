"""Response endpoints: draft, revise, submit, approve, reject, publish, retract, read."""

from __future__ import annotations

from flask import jsonify

from ..responses import queries, service
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import response_json, responses_json


@bp.post("/incidents/<int:incident_id>/responses")
def draft_response(incident_id: int):
    """Draft a response from a statement (pre-approved if verbatim and approved) or free text.

    A draft says why it needs legal (`draft_reason`, `draft_message`).
    """
    body = only_fields(
        json_body(), {"channel", "audience", "language", "statement", "values", "body", "corrects"}
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
    responses = queries.of_incident(incident_id, actor=actor())
    return jsonify({"items": responses_json(responses), "next_cursor": None})


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
    body = only_fields(json_body(), {"url", "published_at", "internal_first_reason"})
    return jsonify(
        response_json(
            service.publish_response(
                response_id,
                actor=actor(),
                url=body.get("url"),
                published_at=body.get("published_at"),
                internal_first_reason=body.get("internal_first_reason"),
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
