"""The search box (a GET form: nothing to forge, so no CSRF token in the address)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Words to find"))
