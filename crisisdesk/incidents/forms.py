"""Incident forms. Choices are filled per request (playbooks, users, the user's language)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..channels import label, names
from ..web import options

SEVERITY_CHOICES = options(
    [
        ("1", _l("1 – crisis")),
        ("2", _l("2 – major")),
        ("3", _l("3 – minor")),
        ("4", _l("4 – watch")),
    ]
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenIncidentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "off", "maxlength": 200},
    )
    summary = TextAreaField(
        _l("What is happening?"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3, "maxlength": 5000},
    )
    severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES, default="2")
    playbook = SelectField(_l("Playbook"), choices=[], validate_choice=False)
    channels = MultiCheckboxField(
        _l("Channels affected"),
        choices=lambda: options((c, label(c)) for c in names()),
        validate_choice=False,
    )
    source_links = TextAreaField(
        _l("Links to the posts (one per line)"),
        validators=[Optional()],
        render_kw={"rows": 2, "inputmode": "url"},
    )
    detected_at = StringField(
        _l("Detected at (empty: now)"),
        validators=[Optional()],
        render_kw={"type": "datetime-local"},
    )
    restricted = BooleanField(
        _l("Need to know: only its role holders, members and administrators see it")
    )
    restriction_reason = StringField(
        _l("Why it is need to know"),
        validators=[Optional(), Length(max=500)],
        render_kw={"maxlength": 500, "autocomplete": "off"},
    )


class RestrictionForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"maxlength": 500, "autocomplete": "off"},
    )


class MemberForm(FlaskForm):
    user = SelectField(_l("Person"), choices=[], validate_choice=False)


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[], validate_choice=False)


class SeverityForm(FlaskForm):
    severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES)


class AssignForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    user = SelectField(_l("Person"), choices=[], validate_choice=False)


class TakeOverForm(FlaskForm):
    reason = StringField(
        _l("Reason (optional)"),
        validators=[Optional(), Length(max=500)],
        render_kw={"maxlength": 500, "autocomplete": "off"},
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Note"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 2}
    )


class LinkForm(FlaskForm):
    url = StringField(
        _l("Link to a post"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"inputmode": "url"},
    )
