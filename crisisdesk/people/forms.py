"""The contact form and the import form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .fields import TEXT_MAX


def _text(label, name, **kwargs):
    return StringField(
        label,
        validators=[Optional(), Length(max=TEXT_MAX.get(name, 254))],
        render_kw={"maxlength": TEXT_MAX.get(name, 254), "autocomplete": "off", **kwargs},
    )


class ContactForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=TEXT_MAX["name"])],
        render_kw={"maxlength": TEXT_MAX["name"], "autocomplete": "off"},
    )
    organisation = _text(_l("Organisation"), "organisation")
    function = _text(_l("Function"), "function")
    phones = TextAreaField(
        _l("Phone numbers (one per line)"),
        validators=[Optional(), Length(max=200)],
        render_kw={"rows": 2, "inputmode": "tel"},
    )
    email = _text(_l("E-mail"), "email", type="email", inputmode="email")
    languages = _text(_l("Languages (e.g. de, en)"), "languages")
    tags = _text(_l("Groups (e.g. legal-duty, it-provider)"), "tags")
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=TEXT_MAX["notes"])],
        render_kw={"rows": 3, "maxlength": TEXT_MAX["notes"]},
    )
    user = _text(_l("Desk user (username, if any)"), "user")
    owner = _text(_l("Owner (username)"), "owner")


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or vCard file"), validators=[FileRequired()])
