"""The duty form and the override form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..web import options

PERIOD_CHOICES = options([("weekly", _l("weekly")), ("daily", _l("daily"))])


class DutyForm(FlaskForm):
    slug = StringField(
        _l("Short name (for playbooks and the API)"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"maxlength": 40, "autocomplete": "off", "pattern": "[a-z0-9][a-z0-9-]*"},
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=120)], render_kw={"maxlength": 120}
    )
    period = SelectField(_l("Hand-over"), choices=PERIOD_CHOICES)
    members = TextAreaField(
        _l("Members in turn (usernames, one per line)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 4},
    )
    starts_on = StringField(
        _l("First hand-over day"), validators=[DataRequired()], render_kw={"type": "date"}
    )
    handover = StringField(
        _l("Hand-over time"),
        validators=[DataRequired()],
        render_kw={"type": "time"},
        default="08:00",
    )
    zone = StringField(
        _l("Time zone"), validators=[DataRequired(), Length(max=64)], default="Europe/Berlin"
    )


class OverrideForm(FlaskForm):
    user = SelectField(_l("Who stands in"), choices=[], validate_choice=False)
    starts = StringField(
        _l("From"), validators=[DataRequired()], render_kw={"type": "datetime-local"}
    )
    ends = StringField(
        _l("Until"), validators=[DataRequired()], render_kw={"type": "datetime-local"}
    )
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"maxlength": 500, "autocomplete": "off"},
    )
