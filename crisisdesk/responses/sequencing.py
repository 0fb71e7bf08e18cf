"""Our own people first: a playbook may say staff hear of it some minutes before the public.

Publishing outward before that is allowed (a crisis does not wait for a rule), but only with a
reason, which the timeline keeps next to the publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..channels import INTERNAL_AUDIENCES
from ..extensions import db
from ..incidents.models import Incident
from ..library.service import playbook_of_version
from .models import Response

#: audiences the rule holds back: whatever reaches people outside the bank at large (a letter to
#: the supervisor or to a platform's safety team is correspondence, not an announcement)
OUTWARD = ("public", "commenter", "customers", "affected", "press", "members")


@dataclass(frozen=True)
class InternalFirst:
    """The playbook's rule for one publication: how many minutes, and when staff were told."""

    minutes: int
    told_at: datetime | None  #: the first publication to an internal audience, if any

    def message(self, at: datetime) -> str:
        """What the person publishing is told, and asked for."""
        if self.told_at is None:
            return _(
                "This playbook tells our own people first, at least %(n)d minutes before the "
                "public, and nothing has been published to staff, branches or the service centre "
                "yet. To publish now, give a reason.",
                n=self.minutes,
            )
        return _(
            "Staff were told %(m)d minutes ago; this playbook wants %(n)d minutes before the "
            "public. To publish now, give a reason.",
            m=int((at - self.told_at).total_seconds() // 60),
            n=self.minutes,
        )

    def recorded(self, reason: str) -> dict:
        """What the publication's event keeps about the rule it went ahead of."""
        return {
            "minutes": self.minutes,
            "told_at": self.told_at.isoformat() if self.told_at else None,
            "reason": reason,
        }


def rule_broken_by(response: Response, at: datetime) -> InternalFirst | None:
    """The internal-first rule publishing `response` at `at` would break, or None."""
    if response.audience not in OUTWARD:
        return None
    incident = db.session.get(Incident, response.incident_id)
    playbook = playbook_of_version(incident.playbook_version)
    minutes = playbook.internal_first_minutes if playbook else 0
    if not minutes:
        return None
    told_at = db.session.scalar(
        select(func.min(Response.published_at)).where(
            Response.incident_id == response.incident_id,
            Response.audience.in_(INTERNAL_AUDIENCES),
            Response.status == "published",
            Response.published_at <= at,
        )
    )
    if told_at is not None and at - told_at >= timedelta(minutes=minutes):
        return None
    return InternalFirst(minutes, told_at)
