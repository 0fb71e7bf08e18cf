"""Each run of the audit is remembered, from the command line or a page, by the audit itself."""

import pytest

from crisisdesk.audit import runs
from crisisdesk.errors import Forbidden


def test_the_command_line_run_is_remembered(app, runner, make_user):
    make_user("olga", roles=["oncall"])
    result = runner.invoke(args=["audit", "verify", "--workers", "1"])
    assert result.exit_code == 0, result.output
    last = runs.last_audit()
    assert (last.ok, last.by, last.failed_check) == (True, "system", None)
    assert last.events_checked >= 1


def test_only_management_and_admins_run_it_from_a_page(app, make_user):
    with pytest.raises(Forbidden):
        runs.verify_and_record(actor=make_user("olga", roles=["oncall"]))
    assert runs.last_audit() is None
    report = runs.verify_and_record(actor=make_user("max", roles=["management"]))
    assert report["ok"] and runs.last_audit().by == "max"
