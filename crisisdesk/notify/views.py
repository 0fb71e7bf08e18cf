"""The bell, mail preferences, and the admin pages for webhooks and failed deliveries."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..errors import DomainError
from ..web import show_error
from . import bell as bells
from . import mailbox, service
from .forms import CancelHeldForm, WebhookForm
from .outbox import MAIL_KINDS

bp = Blueprint("notify", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Notification pages need a signed-in user; services check the roles."""


@bp.get("/notifications")
def index():
    """The user's notifications, newest first."""
    bell = bells.bell(current_user)
    return render_template(
        "notify/index.html",
        notes=bell.notes,
        events=bell.events,
        drills=bell.drills,
        form=FlaskForm(),
        prefs=bell.mail,
        kinds=MAIL_KINDS,
        show_mailbox=mailbox.can_read(current_user),
    )


@bp.post("/notifications/read")
def read_all():
    """Mark every notification read."""
    if FlaskForm().validate_on_submit():
        bells.mark_all_read(current_user)
    return redirect(url_for(".index"))


@bp.post("/notifications/mail")
def mail_preferences():
    """Choose which notifications also come by mail."""
    if FlaskForm().validate_on_submit():
        bells.set_mail_preferences(actor=current_user, enabled=set(request.form.getlist("mail")))
        flash(_("Your mail choices are saved."), "success")
    return redirect(url_for(".index"))


@bp.get("/admin/mailbox")
def mailbox_page():
    """The development mailbox: mail kept instead of sent, newest first."""
    page = mailbox.kept_mail(actor=current_user, before=request.args.get("before", type=int))
    return render_template("notify/mailbox.html", mails=page.mails, older=page.older)


@bp.route("/admin/webhooks", methods=["GET", "POST"])
def webhooks():
    """List and add webhooks; see failed deliveries."""
    form = WebhookForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.add_webhook(
                form.url.data,
                form.secret.data,
                actor=current_user,
                events=form.events.data,
                format=form.format.data,
                restricted_events=bool(form.restricted_events.data),
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("Webhook added."), "success")
            return redirect(url_for(".webhooks"))
    elif form.is_submitted():
        status = 422
    overview = service.webhook_overview(actor=current_user)
    return render_template(
        "notify/webhooks.html",
        form=form,
        hooks=overview.hooks,
        toggle=FlaskForm(),
        held=overview.held,
        cancel_form=CancelHeldForm(formdata=None),
        failed=overview.failed,
    ), status


@bp.get("/admin/webhooks/<int:hook_id>")
def webhook_log(hook_id: int):
    """One webhook's delivery log."""
    hook, deliveries = service.webhook_log(hook_id, actor=current_user)
    return render_template("notify/webhook_log.html", hook=hook, deliveries=deliveries)


@bp.post("/admin/webhooks/<int:hook_id>/active")
def webhook_active(hook_id: int):
    """Pause or resume a webhook."""
    if FlaskForm().validate_on_submit():
        try:
            service.set_webhook_active(
                hook_id, request.form.get("active") == "1", actor=current_user
            )
        except DomainError as exc:
            show_error(None, exc)
    return redirect(url_for(".webhooks"))


@bp.post("/admin/webhooks/<int:hook_id>/cancel")
def webhook_cancel_held(hook_id: int):
    """Cancel a paused webhook's held deliveries, with a reason."""
    form = CancelHeldForm()
    if form.validate_on_submit():
        try:
            count = service.cancel_held_deliveries(hook_id, form.reason.data, actor=current_user)
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(
                ngettext(
                    "%(num)d held delivery cancelled.", "%(num)d held deliveries cancelled.", count
                ),
                "success",
            )
    else:
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
    return redirect(url_for(".webhooks"))
