"""The exercise report as Markdown, in the reader's language, for the file an examiner keeps."""

from __future__ import annotations

from flask_babel import gettext as _


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f} min"


def _met(met: bool) -> str:
    return _("met") if met else _("missed")


def report_markdown(report: dict) -> str:
    """The report's figures, team and evidence as a Markdown document."""
    chain = report["chain"]
    span = _("events %(a)s to %(b)s", a=chain["first_seq"], b=chain["last_seq"])
    lines = [
        f"# {_('Exercise report')}: {report['script']['title']}",
        "",
        f"- {_('Drill incident')}: {report['incident']['ref']}",
        f"- {_('Started')}: {report['started_at']} · {_('Ended')}: {report['ended_at'] or '—'}",
        f"- {_('Announced') if report['announced'] else _('Unannounced')}",
        f"- {_('Participants')}: {', '.join(report['participants']) or '—'}",
        f"- {_('Script')}: `{report['script']['slug']}` SHA-256 `{report['script']['sha256']}`",
        f"- {_('Timeline')}: {span}, {_('last hash')} `{chain['last_hash']}`",
        "",
        f"## {_('Objectives')}",
        "",
        f"| {_('Objective')} | {_('Target')} | {_('Measured')} | {_('Result')} |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {o['text']} | {o['target_minutes']} min | {_minutes(o['seconds'])} | {_met(o['met'])} |"
        for o in report["objectives"]
    ]
    lines += ["", f"## {_('Reactions to injects')}", ""]
    lines += [
        f"- `{r['key']}` ({r['expects']}, ≤ {r['within_minutes']} min): "
        f"{_minutes(r['seconds'])}, {_met(r['met'])}"
        for r in report["reactions"]
    ] or [f"- {_('No inject asked for a reaction.')}"]
    checklist = report["checklist"]
    lines += [
        "",
        f"## {_('Team and checklist')}",
        "",
        f"- {_('Checklist')}: {checklist['done']} / {checklist['total']}",
        f"- {_('Legal review, slowest')}: {_minutes(report['legal_review_max_s'])}",
        *(f"- {role['role']}: {role['user']} ({role['from']})" for role in report["roles"]),
        "",
        f"## {_('Sign-off')}",
        "",
    ]
    signed = report["signed_off"]
    lines.append(
        f"{_('Signed off by %(u)s at %(t)s.', u=signed['by'], t=signed['at'])}"
        if signed
        else _("Not signed off yet.")
    )
    return "\n".join(lines) + "\n"
