"""The forms that start a drill and plan a scenario's next exercise."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField


class StartDrillForm(FlaskForm):
    script = SelectField(_l("Scenario"), choices=[], validate_choice=False)
    participants = SelectMultipleField(_l("Participants"), choices=[], validate_choice=False)
    announced = BooleanField(_l("Announced (the participants know it is coming)"), default=True)


class PlanForm(FlaskForm):
    scenario = HiddenField()
    # the service reads the date, so a wrong one gets the desk's own message
    due_on = StringField(_l("Next exercise on"), render_kw={"type": "date"})
