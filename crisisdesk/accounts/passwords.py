"""What a new password must be: long enough, not a common one, not easy to guess."""

from __future__ import annotations

from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from ..errors import Invalid

MAX_LENGTH = 1024
#: zxcvbn's scores run 0 (guessed at once) to 4; 3 resists an offline attack on a slow hash
MIN_SCORE = 3
#: zxcvbn slows down sharply with length, and the first 100 characters decide the score anyway
SCORED_LENGTH = 100


def hash_password(password: str) -> str:
    """Hash a password with the configured method (scrypt)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def check_password(
    password: str, *, field: str = "password", user_inputs: tuple[str, ...] = ()
) -> None:
    """Raise Invalid unless `password` may be set;
    `user_inputs` (name, email…) count as easy to guess.
    """
    password = password or ""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise Invalid(
            "short_password", _("Passwords need at least %(n)d characters.", n=minimum), field=field
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            "long_password", _("Passwords can have at most 1024 characters."), field=field
        )
    if password.lower() in _common_passwords():
        raise Invalid(
            "common_password",
            _("This password is on the list of the most common passwords. Choose another one."),
            field=field,
        )
    inputs = [value for value in user_inputs if value]
    if (
        zxcvbn(password[:SCORED_LENGTH], user_inputs=inputs, max_length=SCORED_LENGTH)["score"]
        < MIN_SCORE
    ):
        raise Invalid(
            "weak_password",
            _(
                "This password is too easy to guess. Use a few unrelated words, "
                "or mix in numbers and symbols."
            ),
            field=field,
        )
