"""The incident's fakes: add one in seconds from a phone, paste many, move each on, and reach the
platform's report form and the prefilled takedown letter from the item."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..incidents.permissions import require_responder
from ..incidents.queries import get_incident
from ..parsing import plain_int
from ..web import options, show_error
from . import cases, evidence
from .addresses import KINDS, display_name
from .evidence import upload_limit
from .forms import BulkForm, EvidenceForm, MoveForm, QuickItemForm
from .official import active_account_on
from .platforms import platform_label

bp = Blueprint("impersonation", __name__)
#: what the warning statement's sentence about the fakes may hold
WARNING_NAMES_MAX = 55
#: fakes and evidence files shown at a time: each fake carries its own form
SHOWN = 50
KIND_LABELS = {
    "profile": lambda: _("Profile"),
    "post": lambda: _("Post"),
    "domain": lambda: _("Domain or website"),
    "phone": lambda: _("Phone number"),
    "app": lambda: _("App"),
}
STATUS_LABELS = {
    "found": lambda: _("found"),
    "reported": lambda: _("reported"),
    "under_review": lambda: _("under review"),
    "taken_down": lambda: _("taken down"),
    "refused": lambda: _("refused"),
    "re_reported": lambda: _("re-reported"),
}


@bp.before_request
@login_required
def _signed_in():
    """Signed-in users only; the services check who may read and change the incident."""


@bp.url_value_preprocessor
def _room_for_files(endpoint, _values):
    # before any hook reads the body: an evidence file may be larger than any other request
    if endpoint == "impersonation.upload":
        request.max_content_length = upload_limit() + 64 * 1024


@bp.post("/incidents/<int:incident_id>/evidence")
def upload(incident_id: int):
    """Keep a screenshot or document (from a phone's camera too) as evidence of the incident."""
    incident = get_incident(incident_id, actor=current_user)
    require_responder(current_user, incident)  # who asks comes before what they sent
    form = EvidenceForm()
    if form.validate_on_submit():
        sent = request.files.get("file")
        try:
            evidence.add_evidence(
                incident.id,
                sent.read() if sent else b"",
                sent.filename if sent else "",
                actor=current_user,
                strip=bool(form.strip.data),
            )
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(_("The evidence is kept."), "success")
    return redirect(url_for(".index", incident_id=incident.id) + "#evidence")


@bp.get("/evidence/<int:evidence_id>")
def download(evidence_id: int):
    """An evidence file, as a download only: a browser never shows or runs it in the desk."""
    row, data, name = evidence.read_evidence(evidence_id, actor=current_user)
    return Response(
        data,
        mimetype=row.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def _quick_form() -> QuickItemForm:
    form = QuickItemForm(prefix="quick")
    form.kind.choices = options(
        [("", _("Recognise from the address"))] + [(k, KIND_LABELS[k]()) for k in KINDS]
    )
    return form


@bp.route("/incidents/<int:incident_id>/impersonations", methods=["GET", "POST"])
def index(incident_id: int):
    """The incident's suspect items, the quick report and the paste box."""
    incident = get_incident(incident_id, actor=current_user)
    if request.method == "POST":
        require_responder(current_user, incident)  # who asks comes before what they sent
    quick, bulk, status = _quick_form(), BulkForm(prefix="bulk"), 200
    sent = quick if "quick-url" in request.form else bulk if "bulk-urls" in request.form else None
    if sent is not None and sent.validate_on_submit():
        try:
            added = cases.add_items(incident.id, _entries(sent), actor=current_user)
        except DomainError as exc:
            exc.field = "url" if sent is quick else "urls"  # the service names items.N.url
            show_error(sent, exc)
            status = exc.status
        else:
            _say(added)
            return redirect(url_for(".index", incident_id=incident.id))
    elif sent is not None:
        status = 422
    every = cases.items_of(incident.id, actor=current_user)
    before = plain_int(request.args.get("before", ""))
    shown = [item for item in every if before is None or item.id < before][: SHOWN + 1]
    evidence_before = plain_int(request.args.get("evidence_before", ""))
    files = evidence.evidence_of(
        incident.id, actor=current_user, before_id=evidence_before, limit=SHOWN + 1
    )
    return render_template(
        "impersonation/items.html",
        incident=incident,
        items=shown[:SHOWN],
        total=len(every),
        older=shown[SHOWN - 1].id if len(shown) > SHOWN else None,
        older_evidence=files[SHOWN - 1].id if len(files) > SHOWN else None,
        quick=quick,
        bulk=bulk,
        move_form=MoveForm(),
        evidence_form=EvidenceForm(),
        evidence=files[:SHOWN],
        limit_mb=upload_limit() // 1_000_000,
        platforms=cases.takedown_by_platform(every),
        report_urls=current_app.config["IMPERSONATION_REPORT_URLS"],
        takedown=takedown_values,
        warning=warning_values(incident, incident.playbook_version.language),
        kind_label=lambda kind: KIND_LABELS[kind](),
        status_label=lambda value: STATUS_LABELS[value](),
        moves=cases.MOVES,
        seconds=cases.takedown_seconds,
        language=incident.playbook_version.language,
    ), status


def _entries(form) -> list:
    if isinstance(form, QuickItemForm):
        reach = (form.reach.data or "").strip()
        number = plain_int(reach, 10**10) if reach else None
        # a reach the form cannot read goes on as text, for the service to refuse by name
        return [{"url": form.url.data, "kind": form.kind.data or None, "reach": number or reach}]
    return [line.strip() for line in (form.urls.data or "").splitlines() if line.strip()]


def _say(added: cases.Added) -> None:
    if added.created:
        flash(
            ngettext("%(num)d item added.", "%(num)d items added.", len(added.created)), "success"
        )
    if added.merged:
        flash(
            ngettext(
                "%(num)d address was already listed: merged.",
                "%(num)d addresses were already listed: merged.",
                len(added.merged),
            ),
            "info",
        )


@bp.post("/impersonations/<int:suspect_id>/move")
def move(suspect_id: int):
    """Move an item on, with the platform's case reference when there is one."""
    form = MoveForm()
    item = cases.get_item(suspect_id, actor=current_user)  # who asks comes first
    back = url_for(".index", incident_id=item.incident_id) + f"#item-{item.id}"
    if form.validate_on_submit():
        try:
            cases.move_item(
                item.id, form.status.data, actor=current_user, reference=form.reference.data
            )
        except DomainError as exc:
            show_error(None, exc)
        else:
            flash(_("The item is %(s)s.", s=STATUS_LABELS[form.status.data]()), "success")
    return redirect(back)


def warning_values(incident, language: str) -> dict:
    """The customer warning's values: the platform and, as far as they fit, the confirmed fakes."""
    fakes = cases.confirmed_fakes(incident.id)
    values = {"statement": f"impersonation-warning-{language}"}
    if not fakes:
        return values
    values["platform"] = platform_label(fakes[0].platform)
    names: list[str] = []
    with force_locale(language):
        for fake in fakes:
            sentence = _(
                "Confirmed fakes: %(n)s.",
                n=", ".join([*names, display_name(fake.kind, fake.address)]),
            )
            if len(sentence) > WARNING_NAMES_MAX:
                break
            names.append(display_name(fake.kind, fake.address))
            values["fake_handle"] = sentence
    return values


def takedown_values(item, language: str) -> dict:
    """The takedown letter's values the desk knows for an item (query parameters of the form)."""
    official = active_account_on(item.platform)
    values = {
        "statement": f"takedown-request-{language}",
        "platform": platform_label(item.platform),
        "fake_handle": item.address[:60],
        "first_seen": item.first_seen.date().isoformat(),
    }
    if item.address.startswith(("http://", "https://")):
        values["fake_url"] = item.address
    if official is not None:
        values["official_url"] = official.url
    return values
