"""The public notice of an incident: where it is, whether it shows the reference, ended or live."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..errors import NotFound
from ..public import notices
from . import bp
from .helpers import actor, json_body, only_fields
from .serialise import iso


def notice_json(notice) -> dict:
    """A notice as the API shows it: its public addresses per language and the lead's choices."""
    return {
        "incident_id": notice.incident_id,
        "public_id": notice.public_id,
        "paths": {language: notices.notice_path(notice, language) for language in ("de", "en")},
        "show_ref": notice.show_ref,
        "created_at": iso(notice.created_at),
        "ended_at": iso(notice.ended_at),
    }


@bp.get("/incidents/<int:incident_id>/public-notice")
def get_public_notice(incident_id: int):
    """The incident's public notice (readers of the incident); 404 before its first publication."""
    notice = notices.notice_for(incident_id, actor=actor())
    if notice is None:
        raise NotFound("no_notice", _("This incident has no public notice yet."))
    return jsonify(notice_json(notice))


@bp.patch("/incidents/<int:incident_id>/public-notice")
def patch_public_notice(incident_id: int):
    """Show or hide the reference, end the notice or put it live again (lead, administrators)."""
    body = only_fields(json_body(), {"show_ref", "ended"})
    return jsonify(notice_json(notices.change_notice(incident_id, actor=actor(), **body)))
