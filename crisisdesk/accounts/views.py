"""Sign in, sign out and the language switcher."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..security import STATIC_ENDPOINTS
from ..web import client_address, safe_next, show_error
from . import service, sessions, signin, tokens
from .devices import device_label
from .forms import LanguageForm, LoginForm

bp = Blueprint("accounts", __name__)
bp.add_app_template_filter(device_label)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = signin.sign_in(
                form.username.data,
                form.password.data,
                address=client_address(),
                user_agent=request.headers.get("User-Agent"),
            )
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
    """Sign the user out: the session ends on the
    server, so a copy of the cookie stops working too.
    """
    sessions.sign_out(current_user.session_id, actor=current_user)
    forget_signed_in_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


def forget_signed_in_user() -> None:
    """Empty this browser's cookie session, keeping only its language."""
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:  # the sign-in page stays in the language the person chose
        session["lang"] = language


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


@bp.after_app_request
def _note_use(response):
    """Record when and from where the request's API token or server session was last used."""
    principal = g.get("api_principal")
    if principal is not None:  # the API (bearer tokens only): the cookie session is never read
        if getattr(principal, "token_id", None):
            tokens.note_used(principal.token_id, address=client_address())
        return response
    if request.endpoint in STATIC_ENDPOINTS or request.blueprint == "api":
        return response
    if session.get("_user_id") and current_user.is_authenticated and current_user.session_id:
        sessions.note_seen(current_user.session_id, address=client_address())
    return response
