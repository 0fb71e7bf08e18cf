"""Post-mortem pages and exports."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..audit import runs
from ..errors import DomainError
from ..i18n import localtime
from ..impersonation.cases import suspects_of, takedown_by_platform, takedown_seconds
from ..incidents.queries import get_incident, load_incident
from ..responses.queries import said_so_far
from ..shared_parts import render_part, shared_part
from ..timeline.scopes import PEOPLE, incident_scope
from ..web import plain_int, show_error
from . import exports, queries, service
from .chart import incident_chart
from .dashboard import audit_failure_message
from .forms import PostmortemForm, actions_from_text, actions_to_text

bp = Blueprint("review", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Review pages need a signed-in user; services check the roles."""


def _chart(incident, events, end=None):
    """The course chart up to `end` (None: up to the close, or for an open incident now)."""
    if end is None:
        end = incident.closed_at or clock.now()
    closed = incident.status == "closed"
    labels = {
        "severity": _("Severity"),
        "escalation": _("Escalation"),
        "publication": _("Published"),
        "status": _("Status"),
        "due": _("step due"),
        "ack": _("acknowledged"),
        "published": _("published"),
        "start": _("opened"),
        "end": _("closed") if closed else _("as of %(at)s", at=localtime(end, "short")),
        "description": _(
            "Severity over time; escalation steps due and acknowledged; publications; "
            "status changes."
        ),
    }
    return incident_chart(events, end, _("Course of %(ref)s", ref=incident.ref), labels)


@bp.route("/incidents/<int:incident_id>/postmortem", methods=["GET", "POST"])
def postmortem(incident_id: int):
    """The post-mortem: metrics with targets, chart, filtered timeline, lessons and actions."""
    incident = get_incident(incident_id, actor=current_user)
    audience = (
        frozenset({"edit"}) if service.can_edit_postmortem(current_user, incident) else frozenset()
    )
    # action items due before today are marked: the day is an input of the part, not its clock
    today = clock.now().date()
    status, learned = 200, None
    if request.method == "POST":
        form = PostmortemForm(obj=service.postmortem_of(incident.id))
        if form.validate_on_submit():
            try:
                service.update_postmortem(
                    incident.id,
                    actor=current_user,
                    summary=form.summary.data,
                    went_well=form.went_well.data,
                    went_badly=form.went_badly.data,
                    lessons=form.lessons.data,
                    actions=actions_from_text(form.actions.data),
                )
            except DomainError as exc:
                show_error(form, exc)
                status = exc.status
            else:
                flash(_("The post-mortem is saved."), "success")
                return redirect(url_for(".postmortem", incident_id=incident.id))
        # a refused save shows this person's own input and errors: rendered for them alone
        learned = render_part(
            "review/_postmortem_learned.html",
            **_learned_context(incident.id, form),
            audience=audience,
            today=today,
        )
    shown = request.args.get("show", "")
    shown = shown if shown in queries.FILTERS else ""
    person = request.args.get("person", "")[:64]
    after = plain_int(request.args.get("after", "")) or 0
    # the same for every reader: rendered once per change of the incident or the people
    scopes = (incident_scope(incident.id), PEOPLE)
    course = shared_part(
        "postmortem-course",
        "review/_postmortem_course.html",
        inputs={"incident_id": incident.id},
        audience=frozenset(),
        scopes=scopes,
        context=lambda: _course_context(incident_id),
    )
    story = shared_part(
        "postmortem-story",
        "review/_postmortem_story.html",
        inputs={"incident_id": incident.id, "shown": shown, "person": person, "after": after},
        audience=frozenset(),
        scopes=scopes,
        context=lambda: _story_context(incident_id, shown, person, after),
    )
    if learned is None:
        learned = shared_part(
            "postmortem-learned",
            "review/_postmortem_learned.html",
            inputs={"incident_id": incident.id, "today": today},
            audience=audience,
            scopes=scopes,
            context=lambda: _learned_context(incident_id, None),
        )
    return render_template(
        "review/postmortem.html", incident=incident, course=course, story=story, learned=learned
    ), status


def _learned_context(incident_id: int, form: PostmortemForm | None) -> dict:
    existing, actions = service.postmortem_of(incident_id), service.actions_of(incident_id)
    if form is None:
        form = PostmortemForm(
            formdata=None,
            obj=existing,
            data={"actions": actions_to_text(actions)},
            meta={"csrf": False},
        )
    return {"postmortem": existing, "actions": actions, "form": form}


def _course_context(incident_id: int) -> dict:
    incident = load_incident(incident_id)
    important = service.metric_events(incident)
    end = None if incident.status == "closed" else _last_moment(incident, important)
    fakes = suspects_of(incident.id)
    return {
        "metrics": service.page_metrics(incident, important),
        "chart": _chart(incident, important, end),
        "fakes": fakes,
        "takedowns": takedown_by_platform(fakes),
        "takedown_seconds": takedown_seconds,
    }


def _last_moment(incident, events):
    return max((e.at for e in events), default=incident.opened_at)


def _story_context(incident_id: int, shown: str, person: str, after: int) -> dict:
    incident = load_incident(incident_id)
    story = queries.story_page(incident, shown, person, after)
    return {
        "incident": incident,
        "people": queries.people_in(incident),
        "events": story[: queries.STORY_PAGE],
        "next_after": story[queries.STORY_PAGE - 1].seq
        if len(story) > queries.STORY_PAGE
        else None,
    }


@bp.get("/incidents/<int:incident_id>/postmortem.md")
def postmortem_markdown(incident_id: int):
    """The post-mortem as Markdown."""
    incident = get_incident(incident_id, actor=current_user)
    text = exports.postmortem_markdown(
        incident,
        service.postmortem_of(incident.id),
        service.actions_of(incident.id),
        service.incident_metrics(incident),
        said_so_far(incident.id),
        suspects_of(incident.id),
    )
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{incident.ref}-postmortem.md"'},
    )


@bp.get("/incidents/<int:incident_id>/events.json")
def events_export(incident_id: int):
    """All of the incident's events with their hashes."""
    incident = get_incident(incident_id, actor=current_user)
    return Response(
        exports.events_json(incident, queries.all_events(incident)),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{incident.ref}-events.json"'},
    )


@bp.get("/incidents/<int:incident_id>/postmortem/print")
def print_view(incident_id: int):
    """A4 print page (the browser's print makes the PDF)."""
    incident = get_incident(incident_id, actor=current_user)
    important = service.metric_events(incident)
    return render_template(
        "review/print.html",
        incident=incident,
        postmortem=service.postmortem_of(incident.id),
        actions=service.actions_of(incident.id),
        metrics=service.incident_metrics(incident, important),
        chart=_chart(incident, important),
        events=queries.all_events(incident),
        said=said_so_far(incident.id),
    )


@bp.post("/audit/verify")
def verify():
    """Verify chain, records and triggers now and show the result on the dashboard."""
    if FlaskForm().validate_on_submit():
        report = runs.verify_and_record(actor=current_user)
        if report["ok"]:
            flash(
                _("The chain holds: %(n)d events checked.", n=report["events_checked"]), "success"
            )
        else:
            flash(audit_failure_message(report), "danger")
    return redirect(url_for("dashboard.index"))
