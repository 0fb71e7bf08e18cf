"""Publishing a response (with the pre-approval recheck) and retracting it."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from .. import clock
from ..database import begin_write
from ..errors import Conflict, Invalid
from ..extensions import db
from ..incidents import validation
from .compose import lapse_message, lapse_reason
from .models import Response
from .sequencing import rule_broken_by
from .transitions import COMMENT_MAX, _event, _for_writer, _transition

#: app.extensions key: functions told of each publication inside its transaction
PUBLISH_HOOKS = "crisisdesk.responses.publish_hooks"


def add_publish_hook(app, hook) -> None:
    """Let a package above this one act on a publication before it commits (the public notice)."""
    app.extensions.setdefault(PUBLISH_HOOKS, []).append(hook)


def _lapse(response: Response, actor, reason: str) -> None:
    """Drop a pre-approved response to draft, record why and commit; then refuse the publication."""
    if not _transition(response, ("preapproved",), status="draft", approved_revision=None):
        raise Conflict(
            "not_publishable",
            _("Only an approved or pre-approved response can be published, once."),
        )
    _event("response_approval_lapsed", response, actor, reason=reason)
    db.session.commit()
    raise Conflict("approval_lapsed", lapse_message(reason))


def publish_response(
    response_id, *, actor, url=None, published_at=None, internal_first_reason=None
) -> Response:
    """Record that the approved (or pre-approved) text went out; once only.

    A pre-approved text is checked again first: if its statement changed, the approval expired or a
    value is no longer free, the response drops to draft (recorded and committed) and this says 409.
    Going out before our own people were told, where the playbook says they come first, needs
    `internal_first_reason` (409 `internal_first` without it).
    """
    begin_write()
    response = _for_writer(response_id, actor)
    url = validation.url(url, "url") if url not in (None, "") else None
    at = min(validation.moment(published_at, "published_at") or clock.now(), clock.now())
    if at < response.created_at:
        raise Invalid(
            "before_draft",
            _("A response cannot be published before it was drafted."),
            field="published_at",
        )
    if (
        response.status in ("approved", "preapproved")
        and response.approved_revision != response.revision
    ):
        raise Conflict("stale_approval", _("The approval belongs to an older revision."))
    ahead = _ahead_of_staff(response, at, internal_first_reason)
    if response.status == "preapproved" and (reason := lapse_reason(response)):
        _lapse(response, actor, reason)
    if not _transition(
        response,
        ("approved", "preapproved"),
        status="published",
        published_at=at,
        published_url=url,
        published_by_id=actor.id,
    ):
        raise Conflict(
            "not_publishable",
            _("Only an approved or pre-approved response can be published, once."),
        )
    extra = {"internal_first": ahead} if ahead else {}
    _event("response_published", response, actor, url=url, published_at=at.isoformat(), **extra)
    for hook in current_app.extensions.get(PUBLISH_HOOKS, ()):
        hook(response, actor)
    db.session.commit()
    return response


def _ahead_of_staff(response: Response, at, reason) -> dict | None:
    """None when no internal-first rule stands in the way; else the reason given for going ahead."""
    rule = rule_broken_by(response, at)
    if rule is None:
        return None
    reason = validation.text(reason, "internal_first_reason", COMMENT_MAX)
    if not reason:
        raise Conflict("internal_first", rule.message(at))
    return rule.recorded(reason)


def retract_response(response_id, reason, *, actor) -> Response:
    """Record that a published response was taken down, and why (the text stays on record)."""
    begin_write()
    response = _for_writer(response_id, actor)
    reason = validation.text(reason, "reason", COMMENT_MAX, required=True)
    won = (
        db.session.execute(
            update(Response)
            .where(
                Response.id == response.id,
                Response.status == "published",
                Response.retracted_at.is_(None),
            )
            .values(retracted_at=clock.now(), retract_reason=reason)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if not won:
        raise Conflict("not_retractable", _("Only a published response can be retracted, once."))
    db.session.expire(response)
    _event("response_retracted", response, actor, reason=reason)
    db.session.commit()
    return response
