"""Official accounts: the registry for the desk, and the form that keeps it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import require_role
from ..errors import DomainError
from ..web import options, show_error
from . import official
from .forms import AccountForm
from .platforms import LABELS

bp = Blueprint("official", __name__)


@bp.before_request
@login_required
def _signed_in():
    """The registry names who holds second factors: signed-in users only."""


def _form(account=None) -> AccountForm:
    form = AccountForm(obj=account)
    form.platform.choices = options((key, str(label)) for key, label in LABELS.items())
    if account is not None and not form.is_submitted():
        review = account.last_access_review
        form.last_access_review.data = review.isoformat() if review else ""
    return form


def _values(form: AccountForm) -> dict:
    return {name: form[name].data for name in official.FIELDS}


@bp.get("/official-accounts")
def index():
    """Every registered account, with a warning where the access review is overdue."""
    accounts = official.list_accounts(actor=current_user)
    return render_template(
        "impersonation/accounts.html",
        accounts=accounts,
        overdue=official.review_overdue,
        can_edit=official.can_edit_accounts(current_user),
    )


@bp.route("/official-accounts/new", methods=["GET", "POST"])
def new():
    """Register an account."""
    require_role(current_user, *official.EDITORS)
    return _save(_form(), None)


@bp.route("/official-accounts/<int:account_id>", methods=["GET", "POST"])
def edit(account_id: int):
    """Change an account."""
    require_role(current_user, *official.EDITORS)
    account = official.get_account(account_id, actor=current_user)
    return _save(_form(account), account)


def _save(form: AccountForm, account):
    status = 200
    if form.validate_on_submit():
        try:
            if account is None:
                official.add_account(actor=current_user, **_values(form))
            else:
                official.change_account(account.id, actor=current_user, **_values(form))
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("The account is saved."), "success")
            return redirect(url_for(".index"))
    elif form.is_submitted():
        status = 422
    page = render_template("impersonation/account_form.html", form=form, account=account)
    return page, status
