"""The forms of the registry and of the incident's fakes."""

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


class QuickItemForm(FlaskForm):
    url = StringField(_l("Link, domain or phone number"), render_kw={"inputmode": "url"})
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    reach = StringField(
        _l("Reach (followers or views, optional)"), render_kw={"inputmode": "numeric"}
    )


class BulkForm(FlaskForm):
    urls = TextAreaField(_l("Addresses, one per line"), render_kw={"rows": 6})


class MoveForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=False)
    reference = StringField(_l("The platform's case reference"))


class EvidenceForm(FlaskForm):
    # the file itself is read from request.files: the service checks its size and its bytes
    strip = BooleanField(_l("Remove the photo's metadata (place, device, time)"), default=True)
