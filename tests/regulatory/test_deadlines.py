"""Regulatory due times from the desk's timestamps: DORA's three reports and GDPR's 72 hours."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crisisdesk.regulatory.deadlines import (
    Calendar,
    dora_final_due,
    dora_initial_due,
    dora_intermediate_due,
    gdpr_art33_due,
    relieved,
)

BERLIN = ZoneInfo("Europe/Berlin")
BANK = Calendar(BERLIN, "DE", "BY", "credit_institution")
OTHER = Calendar(BERLIN, "DE", "BY", "other")


def berlin(*parts) -> datetime:
    """A moment on a Berlin wall clock, as the desk stores it (UTC)."""
    return datetime(*parts, tzinfo=BERLIN).astimezone(UTC)


def test_classified_on_a_friday_morning_the_initial_notification_is_due_four_hours_later():
    friday = berlin(2026, 12, 4, 10, 0)
    assert dora_initial_due(berlin(2026, 12, 4, 8, 0), friday, BANK) == berlin(2026, 12, 4, 14, 0)


def test_classified_after_the_24_hours_the_initial_notification_is_due_four_hours_after():
    aware, classified = berlin(2026, 11, 30, 8, 0), berlin(2026, 12, 1, 9, 0)  # Monday, Tuesday
    assert dora_initial_due(aware, classified, BANK) == berlin(2026, 12, 1, 13, 0)


def test_classified_late_within_the_24_hours_the_awareness_cap_comes_first():
    aware, classified = berlin(2026, 11, 30, 8, 0), berlin(2026, 12, 1, 6, 0)
    assert dora_initial_due(aware, classified, BANK) == berlin(2026, 12, 1, 8, 0)


def test_the_intermediate_report_is_due_72_hours_after_the_initial_submission():
    submitted = berlin(2026, 12, 1, 12, 34)
    assert dora_intermediate_due(submitted, BANK) == berlin(2026, 12, 4, 12, 34)


def test_the_final_report_is_due_one_calendar_month_after_the_latest_intermediate():
    assert dora_final_due(berlin(2026, 10, 13, 9, 0), BANK) == berlin(2026, 11, 13, 9, 0)
    # the 31st of a month is followed by the last day of a shorter one
    assert dora_final_due(berlin(2027, 3, 31, 9, 0), BANK) == berlin(2027, 4, 30, 9, 0)


def test_a_credit_institutions_early_reports_get_no_weekend_relief_but_its_final_does():
    saturday_classified = berlin(2026, 12, 5, 10, 0)
    assert dora_initial_due(saturday_classified, saturday_classified, BANK) == berlin(
        2026, 12, 5, 14, 0
    )
    friday = berlin(2026, 12, 4, 11, 0)
    assert dora_intermediate_due(friday - timedelta(hours=72), BANK) == friday
    assert dora_intermediate_due(berlin(2026, 12, 2, 11, 0), BANK) == berlin(2026, 12, 5, 11, 0)
    # the final report due on Sunday 8 November 2026 moves to Monday noon
    assert dora_final_due(berlin(2026, 10, 8, 9, 0), BANK) == berlin(2026, 11, 9, 12, 0)


def test_other_entities_move_every_report_off_a_weekend_to_noon_of_the_next_working_day():
    saturday = berlin(2026, 12, 5, 10, 0)
    assert dora_initial_due(saturday, saturday, OTHER) == berlin(2026, 12, 7, 12, 0)
    assert dora_intermediate_due(berlin(2026, 12, 2, 11, 0), OTHER) == berlin(2026, 12, 7, 12, 0)


def test_a_bank_holiday_of_the_banks_state_is_a_day_off_and_another_states_is_not():
    # 6 January is a holiday in Bavaria, not in Berlin; 24 December is a working day
    epiphany = berlin(2027, 1, 6, 10, 0)
    assert relieved(epiphany, BANK) == berlin(2027, 1, 7, 12, 0)
    berlin_bank = Calendar(BERLIN, "DE", "BE", "credit_institution")
    assert relieved(epiphany, berlin_bank) == epiphany
    # Christmas: 25 and 26 December 2026 (Friday, Saturday), then Sunday, then Monday the 28th
    assert relieved(berlin(2026, 12, 25, 9, 0), BANK) == berlin(2026, 12, 28, 12, 0)
    assert relieved(berlin(2026, 12, 24, 9, 0), BANK) == berlin(2026, 12, 24, 9, 0)


def test_hours_are_elapsed_hours_across_a_clock_change():
    # 28 March 2026, 23:00 CET; the clocks go forward at 02:00: four hours later it is 04:00 CEST
    classified = berlin(2026, 3, 28, 23, 0)
    assert dora_initial_due(classified, classified, BANK) == berlin(2026, 3, 29, 4, 0)
    assert (berlin(2026, 3, 29, 4, 0) - classified).total_seconds() == 4 * 3600
    # 24 October 2026, 23:00 CEST; the clocks go back at 03:00: 72 hours later it is 22:00 CET
    assert dora_intermediate_due(berlin(2026, 10, 24, 23, 0), OTHER) == berlin(2026, 10, 27, 22, 0)


def test_the_month_keeps_the_wall_clock_across_a_clock_change():
    assert dora_final_due(berlin(2026, 3, 10, 9, 0), BANK) == berlin(2026, 4, 10, 9, 0)


def test_gdpr_counts_72_hours_through_weekends_and_holidays():
    aware = berlin(2026, 12, 24, 18, 0)
    assert gdpr_art33_due(aware) == berlin(2026, 12, 27, 18, 0)  # a Sunday, and no relief


def test_an_unknown_entity_type_is_refused():
    with pytest.raises(ValueError, match="entity_type"):
        Calendar(BERLIN, entity_type="insurer")


def test_the_app_builds_the_banks_calendar_from_its_configuration(app):
    from crisisdesk.regulatory import bank_calendar

    with app.app_context():
        calendar = bank_calendar()
    assert (calendar.subdivision, calendar.entity_type) == ("BY", "credit_institution")


@pytest.mark.parametrize(
    "setting",
    [{"REGULATORY_SUBDIVISION": "XX"}, {"DORA_ENTITY_TYPE": "bank"}, {"TIMEZONE": "Mars/Base"}],
)
def test_a_calendar_the_desk_cannot_build_stops_the_start(tmp_path, setting):
    from crisisdesk import create_app
    from tests.conftest import make_test_config

    config = make_test_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}", **setting)
    with pytest.raises(RuntimeError, match="regulatory calendar"):
        create_app(config)


@pytest.mark.parametrize("leads", [[60, 60], [0], "60", [15.5], [True], [7 * 24 * 60 + 1]])
def test_reminder_lead_times_the_worker_cannot_use_stop_the_start(tmp_path, leads):
    from crisisdesk import create_app
    from tests.conftest import make_test_config

    config = make_test_config(
        tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}", REGULATORY_REMINDER_MINUTES=leads
    )
    with pytest.raises(RuntimeError, match="REGULATORY_REMINDER_MINUTES"):
        create_app(config)
