"""Verifying in several processes reports exactly what
one pass reports, including at the ranges' seams.
"""

import pytest

from crisisdesk.timeline import chain, verify_chain

from .test_chain import add_toy_events, tamper

# 9 events over 3 processes: ranges 1–3, 4–6 and 7 to the end.
SCENARIOS = {
    "intact": (None, {"ok": True, "events_checked": 9}),
    "edited inside a range": (
        "UPDATE timeline_event SET data = :data WHERE seq = 5",
        {"ok": False, "events_checked": 4, "first_bad_event": 5, "problem": "altered"},
    ),
    "edited first of a range": (
        "UPDATE timeline_event SET data = :data WHERE seq = 4",
        {"ok": False, "events_checked": 3, "first_bad_event": 4, "problem": "altered"},
    ),
    "link cut at a seam": (
        "UPDATE timeline_event SET prev_hash = (SELECT hash FROM timeline_event WHERE seq = 1) "
        "WHERE seq = 4",
        {"ok": False, "events_checked": 3, "first_bad_event": 4, "problem": "broken_link"},
    ),
    "first of a range deleted": (
        "DELETE FROM timeline_event WHERE seq = 4",
        {"ok": False, "events_checked": 3, "first_bad_event": 4, "problem": "missing"},
    ),
    "last of a range deleted": (
        "DELETE FROM timeline_event WHERE seq = 3",
        {"ok": False, "events_checked": 2, "first_bad_event": 3, "problem": "missing"},
    ),
    "last event deleted": (
        "DELETE FROM timeline_event WHERE seq = 9",
        {"ok": False, "events_checked": 8, "first_bad_event": 9, "problem": "missing"},
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_three_processes_report_what_one_pass_reports(app, monkeypatch, scenario):
    statement, expected = SCENARIOS[scenario]
    add_toy_events(9)
    if statement:
        tamper(statement, data='{"n":0}') if ":data" in statement else tamper(statement)
    monkeypatch.setattr(chain, "PARALLEL_FROM", 1)  # split even this short chain
    assert verify_chain().as_dict() == expected
    assert verify_chain(workers=3).as_dict() == expected


def test_the_command_line_splits_the_chain_and_names_the_first_bad_event(app, runner, monkeypatch):
    add_toy_events(9)
    monkeypatch.setattr(chain, "PARALLEL_FROM", 1)
    assert runner.invoke(args=["audit", "verify", "--workers", "3"]).output.startswith(
        "ok: 9 events"
    )
    tamper("DELETE FROM timeline_event WHERE seq = 7")
    result = runner.invoke(args=["audit", "verify", "--workers", "3"])
    assert (
        result.exit_code == 1 and "BROKEN at event 7 (missing); 6 events checked" in result.output
    )
    assert (
        runner.invoke(args=["audit", "verify", "--workers", "0"]).exit_code == 2
    )  # refused, not run
