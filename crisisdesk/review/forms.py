"""The post-mortem form; action items are edited as one line each: text | owner | due | status."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional


class PostmortemForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary (needed to close the incident)"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 3},
    )
    went_well = TextAreaField(
        _l("What went well"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
    went_badly = TextAreaField(
        _l("What went badly"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
    lessons = TextAreaField(
        _l("Lessons"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
    actions = TextAreaField(
        _l("Action items, one per line: text | owner | due (YYYY-MM-DD) | open or done"),
        validators=[Optional(), Length(max=50000)],
        render_kw={"rows": 4},
    )


#: the status words people type, in either language, and the status they mean
STATUS_WORDS = {"open": "open", "offen": "open", "done": "done", "erledigt": "done"}


def actions_from_text(text: str | None) -> list[dict]:
    """Parse the action lines (the service validates each field)."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")] + ["", "", ""]
        items.append(
            {
                "text": parts[0],
                "owner": parts[1],
                "due": parts[2],
                "status": STATUS_WORDS.get(parts[3].casefold(), parts[3]) or "open",
            }
        )
    return items


def actions_to_text(actions) -> str:
    """Show action items as editable lines."""
    return "\n".join(
        " | ".join(
            (a.text, a.owner, a.due_date.isoformat() if a.due_date else "", _status_word(a.status))
        )
        for a in actions
    )


def _status_word(status: str) -> str:
    # the reader's word for it; actions_from_text() reads either language back
    return {"open": _("open"), "done": _("done")}.get(status, status)
