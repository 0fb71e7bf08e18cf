"""Sign in, sign out and the language switcher."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..web import client_address, safe_next, show_error
from . import service, signin
from .forms import LanguageForm, LoginForm

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = signin.authenticate(form.username.data, form.password.data, address=client_address())
        except DomainError as exc:
            show_error(None, exc)
            status = exc.status
        else:
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            session["lang"] = user.language
            return redirect(safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign the user out."""
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:  # the sign-in page stays in the language the person chose
        session["lang"] = language
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def set_language():
    """Switch the interface language (and remember it for a signed-in user)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            try:
                service.update_preferences(actor=current_user, language=form.language.data)
            except DomainError as exc:
                show_error(None, exc)
    return redirect(safe_next(request.form.get("next")))
