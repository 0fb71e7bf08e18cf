"""Contact directory pages: search, one contact, add, change, confirm, delete, import, export."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import require_role
from ..errors import DomainError
from ..web import show_error
from . import contacts, exchange
from .contacts import EDITORS, listed, review_by, review_overdue
from .forms import ContactForm, ImportForm

bp = Blueprint("people", __name__)


@bp.before_request
@login_required
def _signed_in():
    """The directory holds personal data: signed-in users only; the services check the roles."""


def _form_values(form: ContactForm) -> dict:
    values = {name: form[name].data or "" for name in contacts.fields.FIELDS}
    for name in contacts.LIST_FIELDS:
        values[name] = contacts.fields.split_list(values[name])
    return values


def _helpers() -> dict:
    return {"listed": listed, "review_by": review_by, "review_overdue": review_overdue}


@bp.get("/contacts")
def index():
    """Search the directory by name, organisation, function and group."""
    q, tag = request.args.get("q", "")[:100], request.args.get("tag", "")[:40]
    found = contacts.search_contacts(actor=current_user, q=q, tag=tag)
    return render_template(
        "people/contacts.html",
        contacts=found,
        q=q,
        tag=tag,
        can_edit=contacts.can_edit_contacts(current_user),
        import_form=ImportForm(),
        **_helpers(),
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
def new():
    """Add a contact."""
    require_role(current_user, *EDITORS)
    form = ContactForm()
    status = 200
    if form.validate_on_submit():
        try:
            contact = contacts.create_contact(actor=current_user, **_form_values(form))
        except DomainError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("The contact is saved."), "success")
            return redirect(url_for(".show", contact_id=contact.id))
    elif form.is_submitted():
        status = 422
    return render_template("people/contact_form.html", form=form, contact=None), status


@bp.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
def show(contact_id: int):
    """One contact; its editors change it here."""
    if request.method == "POST":
        require_role(current_user, *EDITORS)
    contact = contacts.get_contact(contact_id, actor=current_user)
    form, status = _filled_form(contact), 200
    if request.method == "POST":
        form, status = ContactForm(), 422
        if form.validate_on_submit():
            try:
                contacts.update_contact(contact_id, actor=current_user, **_form_values(form))
            except DomainError as exc:
                show_error(form, exc)
                status = exc.status
            else:
                flash(_("The contact is saved."), "success")
                return redirect(url_for(".show", contact_id=contact_id))
    can_edit = contacts.can_edit_contacts(current_user)
    page = render_template(
        "people/contact.html", contact=contact, form=form, can_edit=can_edit, **_helpers()
    )
    return page, status


def _filled_form(contact) -> ContactForm:
    return ContactForm(
        formdata=None,
        data={
            "name": contact.name,
            "organisation": contact.organisation,
            "function": contact.function,
            "phones": "\n".join(listed(contact, "phones")),
            "email": contact.email,
            "languages": ", ".join(listed(contact, "languages")),
            "tags": ", ".join(listed(contact, "tags")),
            "notes": contact.notes,
            "user": contact.user.username if contact.user else "",
            "owner": contact.owner.username,
        },
    )


@bp.post("/contacts/<int:contact_id>/reviewed")
def reviewed(contact_id: int):
    """Confirm the entry is right as it stands."""
    contacts.mark_reviewed(contact_id, actor=current_user)
    flash(_("Confirmed as up to date."), "success")
    return redirect(url_for(".show", contact_id=contact_id))


@bp.post("/contacts/<int:contact_id>/delete")
def delete(contact_id: int):
    """Delete the contact and its personal data."""
    contacts.delete_contact(contact_id, actor=current_user)
    flash(_("The contact is deleted."), "success")
    return redirect(url_for(".index"))


@bp.post("/contacts/import")
def import_file():
    """Add or update contacts from a CSV or vCard file, all rows or none."""
    require_role(current_user, *EDITORS)
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a CSV or vCard file."), "danger")
        return redirect(url_for(".index"))
    raw = form.file.data.read(exchange.MAX_BYTES + 1)
    try:
        is_vcard = raw.lstrip(b"\xef\xbb\xbf \r\n").upper().startswith(b"BEGIN:VCARD")
        rows = exchange.from_vcard(raw) if is_vcard else exchange.from_csv(raw)
        done = contacts.import_contacts(rows, actor=current_user)
    except DomainError as exc:
        show_error(None, exc)
        return redirect(url_for(".index"))
    flash(_("Imported: %(n)d added, %(m)d updated.", n=done.created, m=done.updated), "success")
    return redirect(url_for(".index"))


@bp.get("/contacts/export.<any(csv, vcf):kind>")
def export(kind: str):
    """The whole directory as CSV or vCard (management and administrators: personal data)."""
    require_role(current_user, *EDITORS)
    found = contacts.search_contacts(actor=current_user, limit=None)
    if kind == "csv":
        body, mimetype = exchange.to_csv(found), "text/csv"
    else:
        body, mimetype = exchange.to_vcard(found), "text/vcard"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="contacts.{kind}"',
            "Cache-Control": "no-store",
        },
    )
