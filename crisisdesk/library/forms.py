"""Library forms: legal's sign-off and the statement preview (built from the placeholders)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField, StringField
from wtforms.validators import Optional

from ..web import options
from .placeholders import Placeholder


class ApproveForm(FlaskForm):
    review_by = DateField(_l("Valid until (review date)"), validators=[Optional()])


#: HTML input types per placeholder type: phones show the right keyboard or picker
INPUT_TYPES = {"date": "date", "time": "time", "datetime": "datetime-local", "url": "url", "number": "text",
               "text": "text"}


def placeholder_field(placeholder: Placeholder) -> Field:
    """A form field for one placeholder; the service validates the value by its type."""
    label = placeholder.name.replace("_", " ")
    render_kw = {"type": INPUT_TYPES.get(placeholder.type, "text")}
    if placeholder.type == "number":
        render_kw["inputmode"] = "decimal"
    if placeholder.max_length:
        render_kw["maxlength"] = placeholder.max_length
    if placeholder.required:
        render_kw["required"] = True
    if placeholder.type == "choice":
        choices = options([("", "—")] + [(option, option) for option in placeholder.options])
        return SelectField(label, choices=choices, validators=[Optional()], description=placeholder.help,
                           render_kw={"required": True} if placeholder.required else {})
    return StringField(label, validators=[Optional()], description=placeholder.help, render_kw=render_kw)


def values_form(placeholders: list[Placeholder], formdata=None) -> FlaskForm:
    """A form with one field per placeholder (GET: no CSRF needed for a preview)."""

    class ValuesForm(FlaskForm):
        class Meta:
            csrf = False

    for placeholder in placeholders:
        setattr(ValuesForm, placeholder.name, placeholder_field(placeholder))
    return ValuesForm(formdata=formdata)
