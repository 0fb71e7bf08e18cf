"""The admin page of the offline bundle: the desk's public key, the scheduled bundle, a download."""

from __future__ import annotations

import io

from flask import Blueprint, render_template, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..accounts.permissions import require_role
from . import offline, offline_schedule

bp = Blueprint("offline", __name__, url_prefix="/admin/offline")


class BundleForm(FlaskForm):
    """What the downloaded bundle includes besides the library (both are personal data)."""

    contacts = BooleanField(_l("Include the contacts (personal data)"))
    rotas = BooleanField(_l("Include the rotas (personal data)"))


@bp.before_request
@login_required
def _admins_only():
    require_role(current_user, "admin")


@bp.get("/")
def index():
    """Show the public key, the last scheduled bundle and the download form."""
    return _page(BundleForm())


@bp.post("/")
def download():
    """Make a bundle with what the form chose and send it as a zip."""
    form = BundleForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    bundle = offline.download_bundle(
        actor=current_user, contacts=form.contacts.data, rotas=form.rotas.data
    )
    return send_file(
        io.BytesIO(offline.zip_bytes(bundle)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{bundle.name}.zip",
    )


def _page(form: BundleForm, status: int = 200):
    return render_template(
        "offline/admin.html", form=form, **offline_schedule.offline_page(actor=current_user)
    ), status
