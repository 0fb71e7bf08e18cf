"""The form that registers or changes an official account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField


class AccountForm(FlaskForm):
    # the service checks every value, so a wrong one gets the desk's own message and field
    platform = SelectField(_l("Platform"), choices=[], validate_choice=False)
    handle = StringField(_l("Name or handle"))
    url = StringField(_l("Address (https://…)"), render_kw={"inputmode": "url"})
    verified = BooleanField(_l("Verified by the platform"))
    purpose = StringField(_l("Purpose"))
    owner = StringField(_l("Owner (team or person)"))
    second_factor = StringField(_l("Who holds the second factor"))
    recovery_contacts = TextAreaField(_l("Recovery contacts"))
    last_access_review = StringField(_l("Last access review"), render_kw={"type": "date"})
    active = BooleanField(_l("Active (listed on the public page)"), default=True)
