"""The form that starts a drill."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField


class StartDrillForm(FlaskForm):
    script = SelectField(_l("Scenario"), choices=[], validate_choice=False)
    participants = SelectMultipleField(_l("Participants"), choices=[], validate_choice=False)
    announced = BooleanField(_l("Announced (the participants know it is coming)"), default=True)
