"""What is waiting for the signed-in person: responses to review, statements to sign off, due steps.

Shown as a count on the navigation bar (visible while it is folded on a phone) and as a strip on
the board, so work that waits for someone reaches them without opening the menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from .. import clock
from ..extensions import db
from ..incidents.escalation import LIVE_STATUSES, OPEN_STEP
from ..incidents.models import EscalationStep, Incident
from ..incidents.permissions import visible_clause
from ..library.sign_off_queue import sign_off_count
from ..responses.models import Response


@dataclass(frozen=True)
class Waiting:
    reviews: int = 0  #: responses waiting for legal
    sign_offs: int = 0  #: statements and Q&A sheets unapproved, expired or expiring soon
    steps: int = 0  #: escalation steps due for one of the person's roles or incidents they lead
    step_incident_id: int | None = None  #: the incident of the earliest of those steps

    @property
    def total(self) -> int:
        return self.reviews + self.sign_offs + self.steps


def waiting_for(user) -> Waiting:
    """Count the work waiting for `user` now."""
    if not getattr(user, "is_authenticated", False):
        return Waiting()
    legal = user.has_role("legal")
    reviews = (
        db.session.scalar(
            select(func.count())
            .select_from(Response)
            .join(Incident, Incident.id == Response.incident_id)
            .where(Response.status == "pending_legal", visible_clause(user))
        )
        if legal
        else 0
    )
    # the earliest step and, counted over all of them, how many: one row, however many are due
    # (a storm with hundreds of open incidents would otherwise send every id to every page)
    earliest = db.session.execute(
        select(EscalationStep.incident_id, func.count().over())
        .join(Incident, Incident.id == EscalationStep.incident_id)
        .where(
            Incident.status.in_(LIVE_STATUSES),
            EscalationStep.status.in_(OPEN_STEP),
            EscalationStep.due_at < clock.now(),  # past due, as the room marks it
            or_(EscalationStep.target_role.in_(user.roles), Incident.lead_id == user.id),
            visible_clause(user),
        )
        .order_by(EscalationStep.due_at, EscalationStep.id)
        .limit(1)
    ).first()
    steps, first_incident = (earliest[1], earliest[0]) if earliest else (0, None)
    return Waiting(reviews or 0, sign_off_count() if legal else 0, steps, first_incident)
