"""The profile page: preferences, password, API tokens."""
from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..errors import DomainError
from ..web import show_error
from . import service, tokens
from .forms import PasswordForm, PreferencesForm, RevokeTokenForm, TokenForm

bp = Blueprint("profile", __name__, url_prefix="/profile")


def _render(prefs=None, password=None, token_form=None, new_token=None, status=200):
    prefs = prefs or PreferencesForm(obj=current_user, formdata=None)
    return render_template(
        "accounts/profile.html", prefs=prefs, password=password or PasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None), revoke=RevokeTokenForm(),
        tokens=tokens.list_tokens(current_user), new_token=new_token), status


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
            user = service.update_preferences(actor=current_user, language=form.language.data,
                                              timezone=form.timezone.data, display_name=form.display_name.data,
                                              email=form.email.data)
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
            user = service.change_password(actor=current_user, current=form.current_password.data,
                                           new=form.new_password.data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            login_user(user)  # this session carries the new nonce; all others are now invalid
            flash(_("Your password is changed. Other sessions were signed out."), "success")
            return redirect(url_for(".show"))
    return _render(password=form, status=422)


@bp.post("/tokens")
@login_required
def create_token():
    """Make an API token and show it once."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(current_user, form.name.data, actor=current_user)
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
