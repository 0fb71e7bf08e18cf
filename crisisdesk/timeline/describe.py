"""Timeline events told in a sentence, in the reader's language (user text stays as typed)."""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import gettext as _

from ..channels import label as channel_label
from ..i18n import decision_label, localtime, report_label, response_status_label, role_label


def _channel(value) -> str:
    return channel_label(str(value or ""))


def _role(value) -> str:
    return role_label(str(value or ""))


def _at(value) -> str:
    try:
        return localtime(datetime.fromisoformat(str(value)), "short")
    except ValueError:
        return str(value)


def _assessed(d: dict) -> str:
    changed = d.get("changed") or []
    parts = []
    if "decision" in changed or "reasons" in changed:
        if d.get("reclassified"):
            parts.append(
                _(
                    "reclassified the incident as %(d)s under DORA: %(r)s",
                    d=decision_label(d.get("decision")),
                    r=d.get("reasons"),
                )
            )
        elif d.get("decision") == "major":
            parts.append(
                _(
                    "classified the incident as a major ICT-related incident under DORA "
                    "(criteria met: %(rule)s): %(r)s",
                    rule=d.get("rule"),
                    r=d.get("reasons"),
                )
            )
        else:
            parts.append(
                _(
                    "assessed the incident as %(d)s under DORA: %(r)s",
                    d=decision_label(d.get("decision")),
                    r=d.get("reasons"),
                )
            )
    elif "criteria" in changed:
        parts.append(_("changed the DORA classification criteria."))
    if "personal_data_breach" in changed:
        parts.append(
            _("marked the incident as a personal-data breach (GDPR clock started).")
            if d.get("personal_data_breach")
            else _("marked the incident as not a personal-data breach.")
        )
    if "aware_at" in changed:
        parts.append(
            _(
                "corrected the time of awareness to %(t)s: %(r)s",
                t=_at(d.get("aware_at")),
                r=d.get("aware_reason"),
            )
        )
    return " ".join(parts)


def _reminder(d: dict) -> str:
    if d.get("lead") == "overdue":
        return _(
            "%(k)s overdue since %(t)s: tell the authority before more time passes, with "
            "the reasons.",
            k=report_label(str(d.get("clock"))),
            t=_at(d.get("due_at")),
        )
    return _(
        "%(k)s due at %(t)s (in %(m)s minutes).",
        k=report_label(str(d.get("clock"))),
        t=_at(d.get("due_at")),
        m=d.get("lead"),
    )


def _inject(d: dict) -> str:
    who = d.get("author") or d.get("platform") or ""
    part = f" ({d.get('part')}/{d.get('count')})" if d.get("part") else ""
    early = _(" (brought forward)") if d.get("early") else ""
    return _("DRILL inject%(p)s%(e)s from %(w)s: %(t)s", p=part, e=early, w=who, t=d.get("text"))


def _notice_changed(d: dict) -> str:
    parts = []
    if "show_ref" in d:
        parts.append(
            _("the public notice shows the reference")
            if d["show_ref"]
            else _("the public notice no longer shows the reference")
        )
    if "ended" in d:
        parts.append(
            _("ended the public notice") if d["ended"] else _("put the public notice live again")
        )
    return "; ".join(parts) + "."


DESCRIPTIONS = {
    "incident_opened": lambda d: _(
        "opened the incident with severity %(s)s (playbook %(p)s).",
        s=d.get("severity"),
        p=d.get("playbook"),
    ),
    "title_changed": lambda d: _("changed the title to “%(t)s”.", t=d.get("after")),
    "summary_changed": lambda d: _("changed the summary."),
    "severity_changed": lambda d: _(
        "changed the severity from %(a)s to %(b)s; escalation re-planned.",
        a=d.get("before"),
        b=d.get("after"),
    ),
    "status_changed": lambda d: _(
        "changed the status from %(a)s to %(b)s.", a=d.get("before"), b=d.get("after")
    ),
    "role_assigned": lambda d: _("made %(u)s %(r)s.", u=d.get("user"), r=_role(d.get("role"))),
    "lead_taken_over": lambda d: (
        _("took over the lead from %(u)s.", u=d.get("previous"))
        if d.get("previous")
        else _("took over the lead.")
    ),
    "escalation_notified": lambda d: (
        _(
            "Escalation due for %(r)s, told to %(u)s on duty (%(duty)s): %(a)s",
            r=_role(d.get("target_role")),
            u=d.get("user"),
            duty=d.get("duty"),
            a=d.get("action"),
        )
        if d.get("user")
        else _("Escalation due for %(r)s: %(a)s", r=_role(d.get("target_role")), a=d.get("action"))
    ),
    "escalation_acknowledged": lambda d: (
        _(
            "took on the escalation step for %(r)s by opening the incident.",
            r=_role(d.get("target_role")),
        )
        if d.get("on_opening")
        else _("acknowledged the escalation step for %(r)s.", r=_role(d.get("target_role")))
    ),
    "checklist_done": lambda d: _("ticked “%(t)s”.", t=d.get("text")),
    "checklist_undone": lambda d: _("unticked “%(t)s”.", t=d.get("text")),
    "note_added": lambda d: _("noted: %(t)s", t=d.get("text")),
    "source_link_added": lambda d: _("added the source %(u)s.", u=d.get("url")),
    "update_reminder": lambda d: _(
        "No public update for %(m)s minutes (the playbook asks for one every %(c)s minutes).",
        m=d.get("minutes_since_update"),
        c=d.get("cadence_minutes"),
    ),
    "response_drafted": lambda d: _(
        "drafted response #%(r)s for %(c)s (%(s)s).",
        r=d.get("response"),
        c=_channel(d.get("channel")),
        s=response_status_label(str(d.get("status"))),
    ),
    "response_revised": lambda d: _(
        "revised response #%(r)s (revision %(n)s).", r=d.get("response"), n=d.get("revision")
    ),
    "response_submitted": lambda d: _("sent response #%(r)s to legal.", r=d.get("response")),
    "response_approved": lambda d: _(
        "approved response #%(r)s (revision %(n)s).", r=d.get("response"), n=d.get("revision")
    ),
    "response_rejected": lambda d: _(
        "rejected response #%(r)s: %(c)s", r=d.get("response"), c=d.get("comment")
    ),
    "response_approval_lapsed": lambda d: _(
        "Response #%(r)s went back to draft: its statement's approval no longer "
        "holds. It needs legal's review.",
        r=d.get("response"),
    ),
    "response_published": lambda d: _(
        "published response #%(r)s on %(c)s.", r=d.get("response"), c=_channel(d.get("channel"))
    ),
    "regulatory_assessed": _assessed,
    "regulatory_submission_recorded": lambda d: _(
        "recorded the %(k)s, made %(t)s (reference %(ref)s).",
        k=report_label(str(d.get("kind"))),
        t=_at(d.get("submitted_at")),
        ref=d.get("reference") or "–",
    ),
    "regulatory_reminder": _reminder,
    "restriction_changed": lambda d: (
        _("restricted the incident to those who need to know: %(r)s", r=d.get("reason"))
        if d.get("restricted")
        else _("opened the incident to every reader again: %(r)s", r=d.get("reason"))
    ),
    "member_added": lambda d: _("let %(u)s see the restricted incident.", u=d.get("user")),
    "member_removed": lambda d: _("took %(u)s off the incident's members.", u=d.get("user")),
    "contact_created": lambda d: _("added contact #%(c)s.", c=d.get("contact")),
    "contact_changed": lambda d: _(
        "changed contact #%(c)s (%(f)s).", c=d.get("contact"), f=", ".join(d.get("fields") or [])
    ),
    "contact_reviewed": lambda d: _("confirmed contact #%(c)s as up to date.", c=d.get("contact")),
    "contact_deleted": lambda d: _("deleted contact #%(c)s.", c=d.get("contact")),
    "contacts_imported": lambda d: _(
        "imported contacts: %(n)s added, %(m)s updated.", n=d.get("created"), m=d.get("updated")
    ),
    "duty_created": lambda d: _("set up the duty %(t)s.", t=d.get("title")),
    "duty_changed": lambda d: _(
        "changed the duty %(t)s (%(f)s).", t=d.get("title"), f=", ".join(d.get("fields") or [])
    ),
    "duty_override_added": lambda d: _(
        "%(u)s stands in for the duty %(d)s from %(a)s to %(b)s: %(r)s",
        u=d.get("user"),
        d=d.get("duty"),
        a=_at(d.get("from")),
        b=_at(d.get("until")),
        r=d.get("reason"),
    ),
    "calendar_feed_rotated": lambda d: _("made a new address for their shift calendar."),
    "offline_bundle_made": lambda d: (
        _(
            "made an offline copy of %(n)s files with personal data (%(what)s); manifest %(h)s.",
            n=d.get("files"),
            what=", ".join(
                label
                for key, label in (("contacts", _("contacts")), ("rotas", _("rotas")))
                if d.get(key)
            ),
            h=str(d.get("sha256") or "")[:12],
        )
        if d.get("contacts") or d.get("rotas")
        else _(
            "made an offline copy of %(n)s files; manifest %(h)s.",
            n=d.get("files"),
            h=str(d.get("sha256") or "")[:12],
        )
    ),
    "response_retracted": lambda d: _(
        "retracted response #%(r)s: %(c)s", r=d.get("response"), c=d.get("reason")
    ),
    "public_notice_opened": lambda d: _("put the public notice live at %(p)s.", p=d.get("path")),
    "public_notice_changed": _notice_changed,
    "drill_started": lambda d: _("started the drill %(s)s.", s=d.get("script")),
    "drill_inject": _inject,
    "drill_paused": lambda d: _("paused the drill: its injects wait."),
    "drill_resumed": lambda d: _("resumed the drill."),
    "drill_ended": lambda d: _("ended the drill."),
    "drill_signed_off": lambda d: _(
        "signed off the exercise report (SHA-256 %(h)s).", h=(d.get("report_sha256") or "")[:16]
    ),
    "impersonation_added": lambda d: _(
        "added a suspected fake (%(k)s, %(p)s): %(a)s",
        k=d.get("kind"),
        p=d.get("platform"),
        a=d.get("address"),
    ),
    "impersonation_status_changed": lambda d: _(
        "moved fake #%(i)s from %(a)s to %(b)s%(r)s.",
        i=d.get("item"),
        a=d.get("from"),
        b=d.get("to"),
        r=f" ({d['reference']})" if d.get("reference") else "",
    ),
    "evidence_added": lambda d: _(
        "kept evidence #%(e)s (%(t)s, SHA-256 %(h)s).",
        e=d.get("evidence"),
        t=d.get("content_type"),
        h=str(d.get("sha256") or "")[:16],
    ),
    "official_account_added": lambda d: _(
        "registered the official account %(h)s (%(p)s).", h=d.get("handle"), p=d.get("platform")
    ),
    "official_account_changed": lambda d: _(
        "changed the official account #%(a)s: %(f)s.",
        a=d.get("account"),
        f=", ".join(d.get("fields") or []),
    ),
    "qa_sheet_issued": lambda d: _(
        "handed out the service-centre sheet (%(n)s answers).", n=len(d.get("entries") or {})
    ),
    "drill_plan_changed": lambda d: (
        _("planned the drill %(s)s for %(d)s.", s=d.get("scenario"), d=d.get("after"))
        if d.get("after")
        else _("took the drill %(s)s off the plan.", s=d.get("scenario"))
    ),
}


def describe(event) -> str:
    """One sentence for an event; the actor's name is shown beside it."""
    data = json.loads(event.data) if isinstance(event.data, str) else (event.data or {})
    describer = DESCRIPTIONS.get(event.kind)
    return describer(data) if describer else event.kind.replace("_", " ")
