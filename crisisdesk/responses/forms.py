"""Response forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..channels import audience_label, audiences, label, names
from ..library.forms import values_form
from ..library.placeholders import Placeholder
from ..web import options


class DraftForm(FlaskForm):
    # the service checks the pair (the channel must reach the audience) and names the field
    audience = SelectField(
        _l("Who is it for?"),
        choices=lambda: options((a, audience_label(a)) for a in audiences()),
        default="public",
        validate_choice=False,
    )
    channel = SelectField(_l("Channel"), choices=lambda: options((c, label(c)) for c in names()))
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
    internal_first_reason = TextAreaField(
        _l("Why publish before our own people were told?"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )


class RetractForm(FlaskForm):
    reason = TextAreaField(
        _l("Why was it taken down?"),
        validators=[DataRequired(), Length(max=5000)],
        render_kw={"rows": 2},
    )


def draft_values_form(placeholders: list[Placeholder], formdata=None) -> FlaskForm:
    """One field per placeholder of the statement being drafted (the draft form holds the CSRF)."""
    return values_form(placeholders, formdata=formdata)
