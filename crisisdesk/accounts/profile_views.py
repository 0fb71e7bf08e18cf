"""The profile page: preferences, password, sessions, API tokens."""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..errors import DomainError
from ..web import show_error
from . import service, sessions, tokens
from .forms import PasswordForm, PreferencesForm, RevokeTokenForm, SessionActionForm, TokenForm
from .views import forget_signed_in_user

bp = Blueprint("profile", __name__, url_prefix="/profile")


def _render(prefs=None, password=None, token_form=None, new_token=None, status=200):
    prefs = prefs or PreferencesForm(obj=current_user, formdata=None)
    token_form = token_form or TokenForm(
        formdata=None, data={"expires": str(current_app.config["TOKEN_DEFAULT_DAYS"])}
    )
    return render_template(
        "accounts/profile.html",
        prefs=prefs,
        password=password or PasswordForm(formdata=None),
        token_form=token_form,
        sessions=sessions.list_sessions(current_user.id, actor=current_user),
        tokens=tokens.list_tokens(current_user),
        new_token=new_token,
        now=clock.now(),
    ), status


@bp.get("/")
@login_required
def show():
    """Show the profile page."""
    return _render()


@bp.post("/preferences")
@login_required
def preferences():
    """Save language, time zone, name and email."""
    form = PreferencesForm()
    if form.validate_on_submit():
        try:
            user = service.update_preferences(
                actor=current_user,
                language=form.language.data,
                timezone=form.timezone.data,
                display_name=form.display_name.data,
                email=form.email.data,
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            session["lang"] = user.language
            flash(_("Your preferences are saved."), "success")
            return redirect(url_for(".show"))
    return _render(prefs=form, status=422)


@bp.post("/password")
@login_required
def password():
    """Change the password; every other session of this user ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(
                actor=current_user,
                current=form.current_password.data,
                new=form.new_password.data,
                keep_session=current_user.session_id,
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Your password is changed. Other sessions were signed out."), "success")
            return redirect(url_for(".show"))
    return _render(password=form, status=422)


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    """End one of the user's other sessions (a lost phone, a borrowed computer)."""
    if SessionActionForm().validate_on_submit():
        try:
            sessions.end_session(session_id, actor=current_user, user_id=current_user.id)
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(_("The session is ended."), "success")
    return redirect(url_for(".show"))


@bp.post("/sessions/end-all")
@login_required
def end_all_sessions():
    """Sign out everywhere, this browser included."""
    if not SessionActionForm().validate_on_submit():
        return redirect(url_for(".show"))
    sessions.end_all_sessions(current_user.id, actor=current_user)
    forget_signed_in_user()
    flash(_("You are signed out everywhere."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/tokens")
@login_required
def create_token():
    """Make an API token and show it once."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(
                current_user, form.name.data, actor=current_user, days=form.expiry_days()
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            return _render(new_token=secret)
    return _render(token_form=form, status=422)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens."""
    form = RevokeTokenForm()
    if form.validate_on_submit():
        tokens.revoke_token(token_id, actor=current_user)
        flash(_("The token is revoked."), "success")
    return redirect(url_for(".show"))
