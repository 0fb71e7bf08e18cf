"""Webhook form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from ..web import options
from .service import EVENT_KINDS, REASON_MAX


class WebhookForm(FlaskForm):
    url = StringField(_l("Address (https://…)"), validators=[DataRequired(), Length(max=2000)])
    secret = PasswordField(
        _l("Secret for the signature (16+ characters)"), validators=[DataRequired()]
    )
    format = SelectField(
        _l("Format"),
        choices=options(
            [
                ("json", _l("JSON (integrations)")),
                ("chat", _l("Chat text (Slack and compatible)")),
                ("teams", _l("Microsoft Teams (Adaptive Card)")),
            ]
        ),
    )
    events = SelectMultipleField(
        _l("Events (none selected: all)"),
        choices=options((k, k) for k in EVENT_KINDS),
        render_kw={"size": 8},
    )
    restricted_events = BooleanField(_l("Also the events of restricted (need-to-know) incidents"))


class CancelHeldForm(FlaskForm):
    """Cancel a paused webhook's held deliveries; the service requires the reason."""

    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[Length(max=REASON_MAX)],
        render_kw={"rows": 2, "maxlength": REASON_MAX},
    )
