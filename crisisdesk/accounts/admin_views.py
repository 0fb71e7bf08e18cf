"""Administration of users: list, create, set roles, deactivate."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..web import show_error
from . import service
from .forms import UserActiveForm, UserCreateForm, UserRolesForm
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
            user = service.create_user(form.username.data, password=form.password.data,
                                       roles=form.roles.data, actor=current_user,
                                       display_name=form.display_name.data, email=form.email.data,
                                       language=form.language.data)
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
    return render_template("admin/user_edit.html", user=user, form=form,
                           active_form=UserActiveForm(data={"active": not user.active})), status


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
