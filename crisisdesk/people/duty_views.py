"""Duty pages: who is on duty, the rota ahead with its gaps, overrides, and the shift calendar."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..accounts.permissions import require_role
from ..accounts.service import all_users
from ..errors import DomainError
from ..web import local_moment, options, show_error
from . import duties, feeds
from .duty_forms import DutyForm, OverrideForm
from .rotation import hands_over, schedule

bp = Blueprint("duties", __name__)
calendar_bp = Blueprint("calendar", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Duty pages need a signed-in user; the services check the roles."""


@bp.route("/duties", methods=["GET", "POST"])
def index():
    """Every duty with who holds it now, gaps ahead, and the reader's next shifts."""
    found = duties.list_duties(actor=current_user)
    new_feed = None
    if request.method == "POST":  # a new calendar address, shown this once
        new_feed = url_for(
            "calendar.feed", token=feeds.rotate_feed(actor=current_user), _external=True
        )
    now = clock.now()
    holders = {held.duty.id: held.shift for held in duties.on_duty_now(now)}
    rows = [(duty, holders.get(duty.id), duties.gaps_ahead(duty, now)) for duty in found]
    return render_template(
        "people/duties.html",
        rows=rows,
        mine=duties.shifts_of(current_user.username, now),
        has_feed=feeds.has_feed(current_user),
        new_feed=new_feed,
        can_edit=current_user.has_role(*duties.EDITORS),
        names=_names(),
        hands_over=lambda shift: hands_over(shift, now),
    )


def _names() -> dict[str, str]:
    """Display names by username, for shifts (which name usernames)."""
    return {user.username: user.display_name for user in all_users()}


@bp.route("/duties/new", methods=["GET", "POST"])
def new():
    """Set up a duty and its rota."""
    require_role(current_user, *duties.EDITORS)
    return _edit(None)


@bp.route("/duties/<slug>", methods=["GET", "POST"])
def show(slug: str):
    """One duty: its rota for the next two weeks, overrides, and (for its keepers) the form."""
    if request.method == "POST":
        require_role(current_user, *duties.EDITORS)
    duty = duties.get_duty(slug, actor=current_user)
    if request.method == "POST":
        return _edit(duty)
    return _page(duty, DutyForm(formdata=None, obj=_form_data(duty)), OverrideForm())


def _form_data(duty):
    class Data:  # what DutyForm reads: members one per line
        slug, title, period = duty.slug, duty.title, duty.period
        members = "\n".join(json.loads(duty.members))
        starts_on, handover, zone = duty.starts_on.isoformat(), duty.handover, duty.zone

    return Data


def _page(duty, form, override_form, status=200):
    now = clock.now()
    override_form.user.choices = options(
        (u.username, f"{u.display_name} ({u.username})")
        for u in all_users()
        if u.active and u.roles
    )
    ahead = schedule(
        duties.rotation_of(duty), duties.overrides_of(duty), now, now + duties.LOOK_AHEAD
    )
    page = render_template(
        "people/duty.html",
        duty=duty,
        form=form,
        override_form=override_form,
        ahead=ahead,
        gaps=duties.gaps_ahead(duty, now),
        members=json.loads(duty.members),
        can_edit=current_user.has_role(*duties.EDITORS),
        can_swap=duties.can_swap(current_user, duty),
        names=_names(),
    )
    return page, status


def _edit(duty):
    form = DutyForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            saved = duties.save_duty(
                duty.slug if duty else form.slug.data,
                actor=current_user,
                title=form.title.data,
                period=form.period.data,
                members=[m.strip() for m in (form.members.data or "").splitlines() if m.strip()],
                starts_on=form.starts_on.data,
                handover=form.handover.data,
                zone=form.zone.data,
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("The duty is saved."), "success")
            return redirect(url_for(".show", slug=saved.slug))
    if duty is None:
        return render_template("people/duty_new.html", form=form), status
    return _page(duty, form, OverrideForm(formdata=None), status)


@bp.post("/duties/<slug>/overrides")
def override(slug: str):
    """Someone stands in for the rota for a while, with the reason."""
    duty = duties.get_duty(slug, actor=current_user)
    duties.require_swapper(current_user, duty)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            duties.add_override(
                slug,
                actor=current_user,
                user=form.user.data,
                starts=local_moment(form.starts.data, "starts", current_user.timezone),
                ends=local_moment(form.ends.data, "ends", current_user.timezone),
                reason=form.reason.data,
            )
        except DomainError as exc:
            exc.field = {"from": "starts", "until": "ends"}.get(exc.field, exc.field)
            show_error(form, exc)
            return _page(duty, DutyForm(formdata=None, obj=_form_data(duty)), form, exc.status)
        flash(_("The override is saved."), "success")
        return redirect(url_for(".show", slug=slug))
    return _page(duty, DutyForm(formdata=None, obj=_form_data(duty)), form, 422)


@calendar_bp.get("/calendar/<token>.ics")
def feed(token: str):
    """A user's shifts as iCalendar, at the secret address only they know (no sign-in)."""
    user = feeds.user_for_feed(token)
    if user is None:
        abort(404)
    return Response(
        feeds.calendar_of(user),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
    )
