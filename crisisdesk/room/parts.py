"""The incident room's shared part: what it shows, and what each reader may do there.

The part is rendered once per change of the incident, the people or the library, per
language, zone, timeline page and audience (shared_parts). Nothing in it depends on the
clock: countdowns, "open for …" and overdue marks by due time are written by the browser;
the server marks a step overdue when the worker has notified it (an event).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from ..accounts.service import all_users
from ..drills.service import drill_of_incident
from ..extensions import db
from ..i18n import role_label
from ..incidents import queries
from ..incidents.escalation_rules import planned_holder, rules_of
from ..incidents.forms import (
    AssignForm,
    LinkForm,
    MemberForm,
    NoteForm,
    RestrictionForm,
    SeverityForm,
    TakeOverForm,
)
from ..incidents.roles import ROLE_RULES, can_take_over, current_holders
from ..incidents.service import TRANSITIONS
from ..library.service import playbook_of_version
from ..people.contacts import contacts_tagged, listed
from ..public.notices import dark_pages_of, notice_of, notice_path
from ..regulatory.models import Assessment
from ..regulatory.submissions import clocks_for
from ..responses import queries as response_queries
from ..web import options
from .guidance import YOUNG_MINUTES, split_guidance

EVENTS_PER_PAGE = 30
#: open checklist items on the room's first screen
FIRST_ITEMS = 3
NO_CSRF = {"csrf": False}


def room_audience(actor, facts: queries.IncidentFacts) -> frozenset[str]:
    """What `actor` may do in the room beyond what every reader sees: take over the lead, and
    (the lead, administrators) decide who sees the incident."""
    audience = set()
    if facts.status != "closed" and can_take_over(actor) and actor.id != facts.lead_id:
        audience.add("take_over")
    if actor.has_role("admin") or actor.id == facts.lead_id:
        audience.add("keep")
    if actor.has_role("admin", "management"):
        audience.add("exercise")  # runs drills: pauses, brings injects forward, ends them
    return frozenset(audience)


def room_context(incident_id: int, before_seq: int | None, paged: bool) -> dict:
    """The room's values, from the database alone (the caller checked the reader)."""
    incident = queries.load_incident(incident_id)
    events = queries.events(
        incident, before_seq=before_seq, limit=EVENTS_PER_PAGE, newest_first=True
    )
    open_steps = [s for s in incident.steps if s.status in ("pending", "notified")]
    # forms only lend their fields to the template: the part's CSRF tokens are holes (shared_parts)
    assign_form = AssignForm(formdata=None, meta=NO_CSRF)
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
    member_form = MemberForm(formdata=None, meta=NO_CSRF)
    member_form.user.choices = options(
        (u.username, f"{u.display_name} ({u.username})")
        for u in all_users()
        if u.active and u.roles and u.id not in {m.user_id for m in incident.members}
    )
    playbook = playbook_of_version(incident.playbook_version)
    responses = response_queries.for_incident(incident.id)
    return {
        "incident": incident,
        "events": events,
        "holders": current_holders(incident),
        "next_step": open_steps[0] if open_steps else None,
        "playbook": playbook,
        "guidance": split_guidance(playbook.html, _("First steps")) if playbook else None,
        "young_until": incident.opened_at + timedelta(minutes=YOUNG_MINUTES),
        "todo": [item for item in incident.checklist if not item.done][:FIRST_ITEMS],
        "checklist_groups": checklist_groups(incident.checklist, playbook),
        "rejected": [
            (r, response_queries.rejection(r).comment if response_queries.rejection(r) else "")
            for r in responses
            if r.status == "rejected"
        ],
        "moves": _moves(incident.status),
        "severity_form": SeverityForm(
            formdata=None, meta=NO_CSRF, data={"severity": str(incident.severity)}
        ),
        "assign_form": assign_form,
        "note_form": NoteForm(formdata=None, meta=NO_CSRF),
        "link_form": LinkForm(formdata=None, meta=NO_CSRF),
        "take_over_form": TakeOverForm(formdata=None, meta=NO_CSRF),
        "restriction_form": RestrictionForm(formdata=None, meta=NO_CSRF),
        "member_form": member_form,
        "closed": incident.status == "closed",
        "responses": responses,
        "said_per_audience": said_per_audience(responses),
        # running and overdue look alike here: the browser counts down (the part has no clock)
        "assessment": db.session.get(Assessment, incident.id),
        "clocks": clocks_for(incident),
        "who_to_call": contacts_tagged(playbook.contacts) if playbook else [],
        "notice": notice_of(incident.id),
        "drill": drill_of_incident(incident.id) if incident.drill else None,
        "notice_path": notice_path,
        "dark_pages": dark_pages_of(playbook),
        "duty_plans": _duty_plans(incident.steps),
        "listed": listed,
        "last_seq": max((e.seq for e in events), default=0) if not paged else None,
        "older": events[-1].seq if len(events) == EVENTS_PER_PAGE else None,
    }


def _duty_plans(steps) -> dict[int, tuple[str, str]]:
    """For each open step with a duty: (who, which duty) — the holder when it falls due, or the
    person told. Fixed times only (the due time, the person told): the part stays clock-free.
    """
    names = {user.username: user.display_name for user in all_users()}
    plans = {}
    for step in steps:
        if step.status == "notified" and step.notified_user:
            duty = rules_of(step)[step.stage - 1][1]
            plans[step.id] = (names.get(step.notified_user, step.notified_user), duty)
        elif step.status == "pending" and step.target_duty:
            holder = planned_holder(step)
            plans[step.id] = (names.get(holder, holder) if holder else "", step.target_duty)
    return plans


def checklist_groups(items, playbook) -> list[tuple[str, list]]:
    """The incident's checklist in runs of one phase each, in the checklist's order.

    The phase comes from the playbook version the incident opened with; an item of a version
    written before phases existed has none, and the checklist is then one run without heading.
    """
    phases = {item.id: item.phase for item in playbook.checklist} if playbook else {}
    groups: list[tuple[str, list]] = []
    for item in items:
        phase = phases.get(item.item_key, "")
        if not groups or groups[-1][0] != phase:
            groups.append((phase, []))
        groups[-1][1].append(item)
    return groups


def _moves(status: str) -> list[str]:
    """The statuses an incident may move to, in the order of its life."""
    order = ("open", "monitoring", "resolved", "closed")
    return [s for s in order if s in TRANSITIONS[status]]


def said_per_audience(responses) -> list[tuple[str, list]]:
    """Published responses grouped by audience, audiences in the order they were first told."""
    groups: dict[str, list] = {}
    for response in sorted(
        (r for r in responses if r.published_at is not None), key=lambda r: r.published_at
    ):
        groups.setdefault(response.audience, []).append(response)
    return list(groups.items())
