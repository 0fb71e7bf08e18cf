"""Response forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..channels import CHANNELS, label
from ..library.forms import INPUT_TYPES
from ..library.placeholders import Placeholder
from ..web import options


class DraftForm(FlaskForm):
    channel = SelectField(_l("Channel"), choices=options((c, label(c)) for c in CHANNELS))
    body = TextAreaField(
        _l("Text"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 6}
    )


class ReviseForm(FlaskForm):
    body = TextAreaField(
        _l("Text"), validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 6}
    )


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment (required to reject)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )


class PublishForm(FlaskForm):
    url = StringField(
        _l("Link to the published post (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"inputmode": "url"},
    )
    published_at = StringField(
        _l("Published at (empty: now)"),
        validators=[Optional()],
        render_kw={"type": "datetime-local"},
    )


class RetractForm(FlaskForm):
    reason = TextAreaField(
        _l("Why was it taken down?"),
        validators=[DataRequired(), Length(max=5000)],
        render_kw={"rows": 2},
    )


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


def draft_values_form(placeholders: list[Placeholder], formdata=None) -> FlaskForm:
    """One field per placeholder of the statement being drafted (the draft form holds the CSRF)."""

    class DraftValuesForm(FlaskForm):
        class Meta:
            csrf = False

    for placeholder in placeholders:
        setattr(DraftValuesForm, placeholder.name, placeholder_field(placeholder))
    return DraftValuesForm(formdata=formdata)
