"""The filters and globals templates use: formatting, labels, translated event sentences."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from .channels import audience_label
from .channels import label as channel_label
from .i18n import (
    clock_status_label,
    decision_label,
    localdate,
    localtime,
    notification_label,
    phase_label,
    report_label,
    response_status_label,
    role_label,
    seconds_text,
    since,
    status_label,
    status_move_label,
    step_status_label,
    template_gettext,
    template_ngettext,
    until,
)
from .impersonation.platforms import platform_label
from .timeline.describe import describe


def register_template_helpers(app: Flask) -> None:
    """Make the formatting helpers available in templates."""
    app.jinja_env.install_gettext_callables(template_gettext, template_ngettext, newstyle=True)
    # the translation without %(…)s substitution, to look a label up once before a loop
    app.jinja_env.globals["raw_gettext"] = template_gettext
    for helper in (localtime, localdate, role_label, until, since, seconds_text, describe):
        app.add_template_filter(helper)
    app.add_template_filter(channel_label, "channel_label")
    app.add_template_filter(platform_label, "platform_label")
    app.add_template_filter(audience_label, "audience_label")
    app.add_template_filter(phase_label, "phase_label")
    app.jinja_env.globals.update(
        status_label=status_label,
        status_move_label=status_move_label,
        step_status_label=step_status_label,
        response_status_label=response_status_label,
        notification_label=notification_label,
        report_label=report_label,
        decision_label=decision_label,
        clock_status_label=clock_status_label,
        current_locale=lambda: str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
    )
