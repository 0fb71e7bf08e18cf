"""Response forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..channels import CHANNELS, label
from ..library.forms import values_form
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


def draft_values_form(placeholders: list[Placeholder], formdata=None) -> FlaskForm:
    """One field per placeholder of the statement being drafted (the draft form holds the CSRF)."""
    return values_form(placeholders, formdata=formdata)
