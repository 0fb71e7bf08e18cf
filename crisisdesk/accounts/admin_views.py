"""Administration of users: list, create, set roles, deactivate, end sessions, revoke tokens."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..errors import DomainError
from ..web import show_error
from . import service, sessions, tokens
from .forms import RevokeTokenForm, SessionActionForm, UserActiveForm, UserCreateForm, UserRolesForm
from .permissions import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    require_role(current_user, "admin")


@bp.get("/users")
def users():
    """List every user with roles and state."""
    return render_template("admin/users.html", users=service.list_users(actor=current_user))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a user."""
    form = UserCreateForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = service.create_user(
                form.username.data,
                password=form.password.data,
                roles=form.roles.data,
                actor=current_user,
                display_name=form.display_name.data,
                email=form.email.data,
                language=form.language.data,
            )
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("User %(name)s is created.", name=user.username), "success")
            return redirect(url_for(".users"))
    elif form.is_submitted():
        status = 422
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Show a user and change their roles."""
    user = service.get_user(user_id)
    form = UserRolesForm(data={"roles": user.roles})
    status = 200
    if form.validate_on_submit():
        try:
            service.set_roles(user.id, form.roles.data, actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("Roles of %(name)s are saved.", name=user.username), "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        active_form=UserActiveForm(data={"active": not user.active}),
        sessions=sessions.list_sessions(user.id, actor=current_user),
        tokens=tokens.tokens_of(user.id, actor=current_user),
    ), status


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    """Deactivate or reactivate a user."""
    form = UserActiveForm()
    if form.validate_on_submit():
        try:
            user = service.set_active(user_id, bool(form.active.data), actor=current_user)
        except DomainError as exc:
            show_error(None, exc)
        else:
            if user.active:
                flash(_("%(name)s is active again.", name=user.username), "success")
            else:
                flash(_("%(name)s is deactivated.", name=user.username), "success")
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/sessions/<int:session_id>/end")
def end_session(user_id: int, session_id: int):
    """End one session of a user."""
    if SessionActionForm().validate_on_submit():
        try:
            sessions.end_session(session_id, actor=current_user, user_id=user_id)
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(_("The session is ended."), "success")
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/sessions/end-all")
def end_all_sessions(user_id: int):
    """End every session of a user (a lost phone, a shared password)."""
    if SessionActionForm().validate_on_submit():
        ended = sessions.end_all_sessions(user_id, actor=current_user)
        flash(
            ngettext("%(num)d session is ended.", "%(num)d sessions are ended.", len(ended)),
            "success",
        )
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
def revoke_token(user_id: int, token_id: int):
    """Revoke an API token of a user."""
    if RevokeTokenForm().validate_on_submit():
        try:
            tokens.revoke_token(token_id, actor=current_user, user_id=user_id)
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(_("The token is revoked."), "success")
    return redirect(url_for(".edit_user", user_id=user_id))
