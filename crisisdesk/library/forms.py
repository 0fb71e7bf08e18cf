"""Library forms: legal's sign-off and the statement preview (built from the placeholders)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from ..web import options
from .placeholders import Placeholder


class ApproveForm(FlaskForm):
    review_by = DateField(_l("Valid until (review date)"), validators=[Optional()])


class SignOffForm(ApproveForm):
    """Legal's sign-off with, per text placeholder, whether its values may go out unreviewed."""

    #: never sent; carries the service's complaint about the free placeholders to the page
    free_placeholders = HiddenField()
    texts: list[Placeholder] = []

    def free_rules(self) -> list[dict]:
        """The ticked placeholders as the service takes them: [{name, pattern, values}]."""
        return [
            {
                "name": p.name,
                "pattern": self[f"pattern_{p.name}"].data or None,
                "values": (self[f"values_{p.name}"].data or "").splitlines(),
            }
            for p in self.texts
            if self[f"free_{p.name}"].data
        ]


def sign_off_form(placeholders: list[Placeholder], **kwargs) -> SignOffForm:
    """The sign-off form for one statement: a free tick,
    a pattern and allowed values per text placeholder.
    """

    class StatementSignOffForm(SignOffForm):
        texts = [placeholder for placeholder in placeholders if placeholder.type == "text"]

    for p in StatementSignOffForm.texts:
        setattr(
            StatementSignOffForm,
            f"free_{p.name}",
            BooleanField(_l("‘%(name)s’ is free: its values need no legal review", name=p.name)),
        )
        setattr(
            StatementSignOffForm,
            f"pattern_{p.name}",
            StringField(
                _l("Pattern for ‘%(name)s’ (optional)", name=p.name),
                validators=[Optional(), Length(max=200)],
                description=_l("A regular expression the whole value must match."),
            ),
        )
        setattr(
            StatementSignOffForm,
            f"values_{p.name}",
            TextAreaField(
                _l("Allowed values for ‘%(name)s’ (optional)", name=p.name),
                validators=[Optional(), Length(max=20000)],
                description=_l("One per line; any other value goes to legal."),
                render_kw={"rows": 2},
            ),
        )
    return StatementSignOffForm(**kwargs)


#: HTML input types per placeholder type: phones show the right keyboard or picker
INPUT_TYPES = {
    "date": "date",
    "time": "time",
    "datetime": "datetime-local",
    "url": "url",
    "number": "text",
    "text": "text",
}


def placeholder_field(placeholder: Placeholder) -> Field:
    """A field named and explained in the statement's language; the service checks the value."""
    render_kw = {"type": INPUT_TYPES.get(placeholder.type, "text")}
    if placeholder.type == "number":
        render_kw["inputmode"] = "decimal"
    if placeholder.max_length:
        render_kw["maxlength"] = placeholder.max_length
    if placeholder.required:
        render_kw["required"] = True
    if placeholder.type == "choice":
        render_kw.pop("type")
        return SelectField(
            placeholder.label,
            choices=options([("", "—")] + [(option, option) for option in placeholder.options]),
            validators=[Optional()],
            validate_choice=False,  # the service names a wrong option in the person's words
            description=placeholder.help,
            render_kw=render_kw,
        )
    return StringField(
        placeholder.label,
        validators=[Optional()],
        description=placeholder.help,
        render_kw=render_kw,
    )


def values_form(placeholders: list[Placeholder], formdata=None) -> FlaskForm:
    """A form with one field per placeholder (GET: no CSRF needed for a preview)."""

    class ValuesForm(FlaskForm):
        class Meta:
            csrf = False

    for placeholder in placeholders:
        setattr(ValuesForm, placeholder.name, placeholder_field(placeholder))
    return ValuesForm(formdata=formdata)
