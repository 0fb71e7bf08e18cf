"""The incident room's shared part: one rendering for everyone who may read the incident.

Kept under the chain head (readcache), per language, zone and timeline page, so a team
refreshing the room in a storm renders it once per change. The clock changes the page too
("open for …", countdowns, overdue badges): a kept part is used only while those texts read
the same now as when it was rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user
from markupsafe import Markup

from .. import clock
from ..accounts.service import all_users
from ..i18n import role_label, since, until
from ..library.service import playbook_of_version
from ..responses import queries as response_queries
from ..shared_parts import render_shared
from ..web import options
from . import queries
from .forms import AssignForm, LinkForm, NoteForm, SeverityForm, StatusForm, TakeOverForm
from .roles import ROLE_RULES, can_take_over, current_holders
from .service import TRANSITIONS

EVENTS_PER_PAGE = 30


@dataclass(frozen=True)
class Moments:
    """The times the clock-dependent texts are measured from."""

    opened_at: datetime
    next_due: datetime | None
    open_dues: tuple[datetime, ...]

    def texts(self, now: datetime) -> tuple:
        """What the page says about time at `now`: age, countdown, which open steps are overdue."""
        return (
            since(self.opened_at, now),
            until(self.next_due, now) if self.next_due else None,
            tuple(due <= now for due in self.open_dues),
        )


@dataclass(frozen=True)
class RoomPart:
    ref: str
    html: str
    moments: Moments
    clock_texts: tuple
    lead_id: int | None = None
    #: the "Take over lead" form exactly as it stands in `html` ("" when the incident offers none)
    take_over: str = ""

    def fresh(self, now: datetime) -> bool:
        """Whether the part still says what a rendering at `now` would say."""
        return self.moments.texts(now) == self.clock_texts

    def for_reader(self, reader) -> str:
        """The part as `reader` sees it: the take-over form only for those who may take over and do not lead."""
        if not self.take_over or (can_take_over(reader) and reader.id != self.lead_id):
            return self.html
        return self.html.replace(self.take_over, "")


def render_room(incident_id: int, before_seq: int | None, paged: bool) -> RoomPart:
    """Load the incident (NotFound if missing) and render the room's shared part at the current time."""
    incident = queries.get_incident(incident_id, actor=current_user)
    events = queries.events(
        incident, before_seq=before_seq, limit=EVENTS_PER_PAGE, newest_first=True
    )
    now = clock.now()
    open_steps = [s for s in incident.steps if s.status in ("pending", "notified")]
    status_form = StatusForm()
    status_form.status.choices = options((s, s) for s in sorted(TRANSITIONS[incident.status]))
    assign_form = AssignForm()
    assign_form.role.choices = options((r, role_label(r)) for r in ROLE_RULES)
    # each person with their desk roles: the rules (roles.ROLE_RULES) say who may hold what
    assign_form.user.choices = options(
        (
            u.username,
            f"{u.display_name} ({u.username}) · {', '.join(role_label(r) for r in u.roles)}",
        )
        for u in all_users()
        if u.active and u.roles
    )
    closed = incident.status == "closed"
    # rendered apart so that for_reader() can leave it out for whoever may not use it
    take_over = (
        ""
        if closed
        else render_shared(
            "incidents/_take_over.html", incident=incident, form=TakeOverForm(formdata=None)
        )
    )
    html = render_shared(
        "incidents/_room.html",
        incident=incident,
        events=events,
        now=now,
        holders=current_holders(incident),
        next_step=open_steps[0] if open_steps else None,
        playbook=playbook_of_version(incident.playbook_version),
        status_form=status_form,
        severity_form=SeverityForm(data={"severity": str(incident.severity)}),
        assign_form=assign_form,
        note_form=NoteForm(formdata=None),
        link_form=LinkForm(formdata=None),
        closed=closed,
        take_over=Markup(take_over),
        responses=response_queries.for_incident(incident.id),
        last_seq=max((e.seq for e in events), default=0) if not paged else None,
        older=events[-1].seq if len(events) == EVENTS_PER_PAGE else None,
    )
    moments = Moments(
        incident.opened_at,
        open_steps[0].due_at if open_steps else None,
        tuple(step.due_at for step in open_steps),
    )
    return RoomPart(incident.ref, html, moments, moments.texts(now), incident.lead_id, take_over)
