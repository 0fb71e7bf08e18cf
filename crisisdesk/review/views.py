"""Post-mortem pages and exports."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..incidents.queries import get_incident
from ..readcache import remembered
from ..responses.queries import said_so_far
from ..shared_parts import fill_token, render_shared
from ..timeline.models import TimelineEvent
from ..web import plain_int, show_error
from . import exports, service
from .chart import incident_chart
from .dashboard import audit_failure_message
from .forms import PostmortemForm, actions_from_text, actions_to_text

bp = Blueprint("review", __name__)
FILTERS = {"responses": "response_", "escalations": "escalation_"}


@bp.before_request
@login_required
def _signed_in():
    """Review pages need a signed-in user; services check the roles."""


STORY_PAGE = 200


def _story(incident, shown: str, person: str, after: int) -> list:
    """One page of the story, oldest first, filtered in the database."""
    query = select(TimelineEvent).where(
        TimelineEvent.incident_id == incident.id, TimelineEvent.seq > after
    )
    if shown in FILTERS:
        query = query.where(TimelineEvent.kind.like(FILTERS[shown] + "%"))
    if person:
        query = query.where(TimelineEvent.actor_name == person)
    return list(db.session.scalars(query.order_by(TimelineEvent.seq).limit(STORY_PAGE + 1)))


def _people(incident) -> list[str]:
    return list(
        db.session.scalars(
            select(TimelineEvent.actor_name)
            .where(TimelineEvent.incident_id == incident.id)
            .distinct()
            .order_by(TimelineEvent.actor_name)
        )
    )


def _events(incident):
    return db.session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.incident_id == incident.id)
        .order_by(TimelineEvent.seq)
    ).all()


def _chart(incident, events):
    labels = {
        "severity": _("Severity"),
        "escalation": _("Escalation"),
        "publication": _("Published"),
        "status": _("Status"),
        "due": _("step due"),
        "ack": _("acknowledged"),
        "published": _("published"),
        "start": _("opened"),
        "end": _("closed") if incident.status == "closed" else _("now"),
        "description": _(
            "Severity over time; escalation steps due and acknowledged; publications; "
            "status changes."
        ),
    }
    end = incident.closed_at or clock.now()
    return incident_chart(events, end, _("Course of %(ref)s", ref=incident.ref), labels)


def _figures_key(incident) -> tuple:
    # An open incident's durations run up to now: recomputed each minute; a closed one's never change.
    moment = None if incident.status == "closed" else clock.now().replace(second=0, microsecond=0)
    return "postmortem", incident.id, str(get_locale()), str(get_timezone()), moment


def _figures(incident) -> dict:
    """Metrics, chart and people of a post-mortem: read from the whole timeline of the incident."""
    important = service.metric_events(incident)
    return {
        "metrics": service.incident_metrics(incident, important),
        "chart": _chart(incident, important),
        "people": _people(incident),
    }


@bp.route("/incidents/<int:incident_id>/postmortem", methods=["GET", "POST"])
def postmortem(incident_id: int):
    """The post-mortem: metrics with targets, chart, filtered timeline, lessons and actions."""
    incident = get_incident(incident_id, actor=current_user)
    can_edit, today = service.can_edit_postmortem(current_user, incident), clock.now().date()
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
        learned = Markup(
            render_template(
                "review/_postmortem_learned.html",
                **_learned_context(incident, form),
                can_edit=can_edit,
                today=today,
            )
        )
    shown = request.args.get("show", "")
    person = request.args.get("person", "")[:64]
    after = plain_int(request.args.get("after", "")) or 0
    # The course, the metrics, the story and (unless a save was refused) what we learned are the same for
    # every reader: rendered once per change of the desk (per minute while the incident is open), language,
    # zone and story page; what we learned also per right to edit and per day (overdue actions).
    course, story = remembered(
        _figures_key(incident) + (shown, person, after),
        lambda: _shared_parts(incident, shown, person, after),
    )
    if learned is None:
        learned = fill_token(
            remembered(
                (
                    "postmortem-learned",
                    incident.id,
                    can_edit,
                    today,
                    str(get_locale()),
                    str(get_timezone()),
                ),
                lambda: render_shared(
                    "review/_postmortem_learned.html",
                    **_learned_context(incident, None),
                    can_edit=can_edit,
                    today=today,
                ),
            )
        )
    return render_template(
        "review/postmortem.html",
        incident=incident,
        course=fill_token(course),
        story=fill_token(story),
        learned=learned,
    ), status


def _learned_context(incident, form: PostmortemForm | None) -> dict:
    existing, actions = service.postmortem_of(incident.id), service.actions_of(incident.id)
    if form is None:
        form = PostmortemForm(
            formdata=None, obj=existing, data={"actions": actions_to_text(actions)}
        )
    return {"postmortem": existing, "actions": actions, "form": form}


def _shared_parts(incident, shown: str, person: str, after: int) -> tuple[str, str]:
    figures = remembered(_figures_key(incident), lambda: _figures(incident))
    story = _story(incident, shown, person, after)
    course = render_shared(
        "review/_postmortem_course.html", metrics=figures["metrics"], chart=figures["chart"]
    )
    story_html = render_shared(
        "review/_postmortem_story.html",
        incident=incident,
        shown=shown,
        person=person,
        people=figures["people"],
        events=story[:STORY_PAGE],
        next_after=story[STORY_PAGE - 1].seq if len(story) > STORY_PAGE else None,
    )
    return course, story_html


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
        exports.events_json(incident, _events(incident)),
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
        events=_events(incident),
        said=said_so_far(incident.id),
    )


@bp.post("/audit/verify")
def verify():
    """Verify chain, records and triggers now and show the result on the dashboard."""
    if FlaskForm().validate_on_submit():
        report = service.verify_and_record(actor=current_user)
        if report["ok"]:
            flash(
                _("The chain holds: %(n)d events checked.", n=report["events_checked"]), "success"
            )
        else:
            flash(audit_failure_message(report), "danger")
    return redirect(url_for("dashboard.index"))
