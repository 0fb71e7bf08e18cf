"""Account forms (Flask-WTF: every POST carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..web import options
from .models import USER_ROLES

#: the zones a European bank's staff work in; the service accepts any IANA zone
TIMEZONES = [
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Lisbon",
    "Europe/Dublin",
    "Europe/London",
    "UTC",
]


def role_choices():
    """Role labels in the user's language."""
    labels = {
        "oncall": _l("On call"),
        "legal": _l("Legal"),
        "management": _l("Management"),
        "compliance": _l("Compliance"),
        "infosec": _l("Information security"),
        "dpo": _l("Data protection officer"),
        "hr": _l("Human resources"),
        "admin": _l("Administrator"),
    }
    return options((role, labels[role]) for role in USER_ROLES)


def language_choices():
    """The desk's languages, each named in itself."""
    return options([("de", "Deutsch"), ("en", "English")])


#: ours, not WTForms' built-in text: one catalogue
#: decides the language of every message a person reads
EMAIL_MESSAGE = _l("This is not an email address.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class PreferencesForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Email(check_deliverability=False, message=EMAIL_MESSAGE),
            Length(max=254),
        ],
    )
    language = SelectField(_l("Language"), choices=language_choices())
    timezone = SelectField(_l("Time zone"), choices=options((tz, tz) for tz in TIMEZONES))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


NO_EXPIRY = "never"


def expiry_choices():
    """How long a new token lasts."""
    return options(
        [
            ("30", _l("30 days")),
            ("90", _l("90 days")),
            ("365", _l("365 days")),
            (NO_EXPIRY, _l("No expiry")),
        ]
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    expires = SelectField(_l("Expires after"), choices=expiry_choices(), default="90")

    def expiry_days(self) -> int | None:
        """The chosen lifetime in days; None: no expiry."""
        return None if self.expires.data == NO_EXPIRY else int(self.expires.data)


class RevokeTokenForm(FlaskForm):
    """Only the CSRF token; the token id is in the URL."""


class SessionActionForm(FlaskForm):
    """Only the CSRF token; the session (or "all") is in the URL."""


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices())


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Email(check_deliverability=False, message=EMAIL_MESSAGE),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    language = SelectField(_l("Language"), choices=language_choices())
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices())


class UserRolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices())


class UserActiveForm(FlaskForm):
    active = BooleanField(_l("Active"))
