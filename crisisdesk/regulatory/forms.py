"""The assessment and submission forms of the regulatory page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..i18n import REPORT_LABELS
from ..web import options
from .criteria import CRITERIA, LABELS
from .service import EVIDENCE_MAX, REASONS_MAX, VALUE_MAX
from .submissions import KINDS, REFERENCE_MAX, TEXT_MAX


class _AssessmentFields(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=options(
            [
                ("", _l("Not decided yet")),
                ("major", _l("Major ICT-related incident")),
                ("not_major", _l("Not major")),
                ("not_ict", _l("Not an ICT-related incident")),
            ]
        ),
        default="",
    )
    reasons = TextAreaField(
        _l("Reasons"),
        validators=[Optional(), Length(max=REASONS_MAX)],
        render_kw={"rows": 3, "maxlength": REASONS_MAX},
    )
    personal_data_breach = BooleanField(_l("Personal-data breach (GDPR Art. 33)"))
    aware_at = StringField(
        _l("Became aware at"), validators=[Optional()], render_kw={"type": "datetime-local"}
    )
    aware_reason = StringField(
        _l("Why the time of awareness changes"),
        validators=[Optional(), Length(max=REASONS_MAX)],
        render_kw={"maxlength": REASONS_MAX, "autocomplete": "off"},
    )


def _criterion_fields() -> dict:
    fields = {}
    for name in CRITERIA:
        fields[f"met_{name}"] = BooleanField(LABELS[name])
        fields[f"value_{name}"] = StringField(
            _l("Value"),
            validators=[Optional(), Length(max=VALUE_MAX)],
            render_kw={"maxlength": VALUE_MAX, "autocomplete": "off"},
        )
        fields[f"evidence_{name}"] = TextAreaField(
            _l("Evidence"),
            validators=[Optional(), Length(max=EVIDENCE_MAX)],
            render_kw={"rows": 2, "maxlength": EVIDENCE_MAX},
        )
    return fields


#: one checkbox, value and evidence per criterion, named met_<criterion> and so on
AssessmentForm = type("AssessmentForm", (_AssessmentFields,), _criterion_fields())


def criteria_from(form) -> dict[str, dict]:
    """The criteria as the service takes them, from a submitted assessment form."""
    return {
        name: {
            "met": bool(form[f"met_{name}"].data),
            "value": form[f"value_{name}"].data or "",
            "evidence": form[f"evidence_{name}"].data or "",
        }
        for name in CRITERIA
    }


class SubmissionForm(FlaskForm):
    kind = SelectField(
        _l("Report"), choices=options((k, REPORT_LABELS[k]) for k in KINDS), validate_choice=False
    )
    submitted_at = StringField(
        _l("Made at (empty: now)"), validators=[Optional()], render_kw={"type": "datetime-local"}
    )
    reference = StringField(
        _l("The authority's reference"),
        validators=[Optional(), Length(max=REFERENCE_MAX)],
        render_kw={"maxlength": REFERENCE_MAX, "autocomplete": "off"},
    )
    text = TextAreaField(
        _l("Text submitted"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        render_kw={"rows": 4, "maxlength": TEXT_MAX},
    )
    late_reason = TextAreaField(
        _l("Reasons for a late report"),
        validators=[Optional(), Length(max=REASONS_MAX)],
        render_kw={"rows": 2, "maxlength": REASONS_MAX},
    )
