"""On-call rota arithmetic: hand-overs across clock changes and month ends, overrides, gaps."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from crisisdesk.people.rotation import (
    Override,
    Rotation,
    Shift,
    gaps,
    handovers,
    next_shifts,
    on_duty,
    schedule,
)

BERLIN = ZoneInfo("Europe/Berlin")
EIGHT = time(8, 0)
TEAM = ("anna", "ben", "cem")
HOUR = timedelta(hours=1)


def berlin(*parts) -> datetime:
    """A moment on a Berlin wall clock, as the desk stores it (UTC)."""
    return datetime(*parts, tzinfo=BERLIN).astimezone(UTC)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def daily(start=date(2026, 7, 6), members=TEAM, handover=EIGHT) -> Rotation:
    return Rotation("daily", members, start, handover, BERLIN)


def weekly(start, members=TEAM) -> Rotation:
    return Rotation("weekly", members, start, EIGHT, BERLIN)


def hours(shift: Shift) -> float:
    return (shift.ends - shift.starts) / HOUR


def test_a_daily_shift_across_the_spring_clock_change_lasts_23_hours():
    shifts = schedule(daily(date(2026, 3, 27)), [], berlin(2026, 3, 27, 8), berlin(2026, 3, 30, 8))
    assert [(s.user, s.starts, s.ends) for s in shifts] == [
        ("anna", utc(2026, 3, 27, 7), utc(2026, 3, 28, 7)),
        ("ben", utc(2026, 3, 28, 7), utc(2026, 3, 29, 6)),
        ("cem", utc(2026, 3, 29, 6), utc(2026, 3, 30, 6)),
    ]
    assert [hours(s) for s in shifts] == [24, 23, 24]


def test_a_daily_shift_across_the_autumn_clock_change_lasts_25_hours():
    shifts = schedule(
        daily(date(2026, 10, 24)), [], berlin(2026, 10, 24, 8), berlin(2026, 10, 26, 8)
    )
    assert [(s.starts, s.ends) for s in shifts] == [
        (utc(2026, 10, 24, 6), utc(2026, 10, 25, 7)),
        (utc(2026, 10, 25, 7), utc(2026, 10, 26, 7)),
    ]
    assert [hours(s) for s in shifts] == [25, 24]


def test_a_weekly_shift_across_a_clock_change_lasts_167_or_169_hours():
    spring = weekly(date(2026, 3, 22))
    assert [
        hours(s) for s in schedule(spring, [], berlin(2026, 3, 22, 8), berlin(2026, 4, 5, 8))
    ] == [
        167,
        168,
    ]
    autumn = weekly(date(2026, 10, 18))
    shifts = schedule(autumn, [], berlin(2026, 10, 18, 8), berlin(2026, 10, 25, 8))
    assert [(s.user, s.starts, s.ends) for s in shifts] == [
        ("anna", utc(2026, 10, 18, 6), utc(2026, 10, 25, 7))
    ]
    assert hours(shifts[0]) == 169


def test_month_ends_are_ordinary_days_and_three_members_keep_cycling():
    rota = daily(date(2026, 12, 1))
    january = schedule(rota, [], berlin(2027, 1, 30, 8), berlin(2027, 2, 3, 8))
    # 30 January is the 60th day after 1 December: 60 % 3 == 0
    assert [(s.user, s.starts) for s in january] == [
        ("anna", berlin(2027, 1, 30, 8)),
        ("ben", berlin(2027, 1, 31, 8)),
        ("cem", berlin(2027, 2, 1, 8)),
        ("anna", berlin(2027, 2, 2, 8)),
    ]
    february = schedule(rota, [], berlin(2027, 2, 27, 8), berlin(2027, 3, 3, 8))
    assert [(s.user, s.starts) for s in february] == [
        ("ben", berlin(2027, 2, 27, 8)),
        ("cem", berlin(2027, 2, 28, 8)),
        ("anna", berlin(2027, 3, 1, 8)),
        ("ben", berlin(2027, 3, 2, 8)),
    ]
    assert all(hours(s) == 24 for s in january + february)


def test_a_weekly_rota_hands_over_in_member_order_for_ten_weeks():
    rota = weekly(date(2026, 9, 7))
    shifts = schedule(rota, [], berlin(2026, 9, 7, 8), berlin(2026, 11, 16, 8))
    assert [s.user for s in shifts] == list(TEAM * 3 + TEAM[:1])
    mondays = [date(2026, 9, 7) + timedelta(weeks=k) for k in range(10)]
    assert [s.starts for s in shifts] == [berlin(d.year, d.month, d.day, 8) for d in mondays]
    # the week of 19 October holds the autumn clock change
    assert [hours(s) for s in shifts] == [168] * 6 + [169] + [168] * 3
    assert handovers(rota, berlin(2026, 9, 7, 8), berlin(2026, 11, 16, 8)) == [
        s.starts for s in shifts
    ]


def test_handovers_lie_in_the_half_open_window_and_not_before_the_start():
    rota = daily(date(2026, 7, 6))
    assert handovers(rota, berlin(2026, 7, 1), berlin(2026, 7, 8, 8)) == [
        berlin(2026, 7, 6, 8),
        berlin(2026, 7, 7, 8),
    ]
    assert handovers(daily(members=()), berlin(2026, 7, 1), berlin(2026, 7, 9)) == []


def test_a_holiday_swap_in_the_middle_of_a_shift_splits_it_into_three():
    swap = Override("ben", berlin(2026, 7, 6, 12), berlin(2026, 7, 6, 18), "Arzttermin")
    assert schedule(daily(), [swap], berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 8)) == [
        Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 6, 12), False),
        Shift("ben", berlin(2026, 7, 6, 12), berlin(2026, 7, 6, 18), True),
        Shift("anna", berlin(2026, 7, 6, 18), berlin(2026, 7, 7, 8), False),
    ]


def test_overlapping_overrides_the_later_starting_one_wins():
    window = (berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 8))
    ben = Override("ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 16), "Urlaub")
    cem = Override("cem", berlin(2026, 7, 6, 14), berlin(2026, 7, 6, 20), "Tausch")
    expected = [
        Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 6, 10), False),
        Shift("ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 14), True),
        Shift("cem", berlin(2026, 7, 6, 14), berlin(2026, 7, 6, 20), True),
        Shift("anna", berlin(2026, 7, 6, 20), berlin(2026, 7, 7, 8), False),
    ]
    assert schedule(daily(), [ben, cem], *window) == expected
    assert schedule(daily(), [cem, ben], *window) == expected  # the order given does not matter
    # one inside another: the inner, later-starting override cuts a hole into the outer one
    outer = Override("ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 20), "Urlaub")
    inner = Override("cem", berlin(2026, 7, 6, 12), berlin(2026, 7, 6, 14), "Tausch")
    assert [(s.user, s.starts) for s in schedule(daily(), [inner, outer], *window)] == [
        ("anna", berlin(2026, 7, 6, 8)),
        ("ben", berlin(2026, 7, 6, 10)),
        ("cem", berlin(2026, 7, 6, 12)),
        ("ben", berlin(2026, 7, 6, 14)),
        ("anna", berlin(2026, 7, 6, 20)),
    ]
    # equal starts: the one later in the list wins
    first = Override("ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 12), "alt")
    again = Override("cem", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 12), "neu")
    assert schedule(daily(), [first, again], *window)[1].user == "cem"


def test_pieces_merge_only_for_the_same_person_and_kind():
    window = (berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 8))
    morning = Override("ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 12), "Tausch")
    noon = Override("ben", berlin(2026, 7, 6, 12), berlin(2026, 7, 6, 14), "Tausch")
    assert schedule(daily(), [morning, noon], *window)[1] == Shift(
        "ben", berlin(2026, 7, 6, 10), berlin(2026, 7, 6, 14), True
    )
    own = Override("anna", berlin(2026, 7, 6, 12), berlin(2026, 7, 6, 14), "Dienstreise")
    assert [(s.user, s.override) for s in schedule(daily(), [own], *window)] == [
        ("anna", False),
        ("anna", True),
        ("anna", False),
    ]
    alone = daily(members=("anna",))
    assert schedule(alone, [], berlin(2026, 7, 6, 8), berlin(2026, 7, 9, 8)) == [
        Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 9, 8), False)
    ]


def test_gaps_before_the_start_and_without_members_but_none_when_the_rota_covers():
    assert gaps(daily(), [], berlin(2026, 7, 5), berlin(2026, 7, 7)) == [
        (berlin(2026, 7, 5), berlin(2026, 7, 6, 8))
    ]
    nobody = daily(members=())
    assert gaps(nobody, [], berlin(2026, 7, 5), berlin(2026, 7, 7)) == [
        (berlin(2026, 7, 5), berlin(2026, 7, 7))
    ]
    cover = Override("ben", berlin(2026, 7, 5, 9), berlin(2026, 7, 5, 17), "Messe")
    assert gaps(nobody, [cover], berlin(2026, 7, 5), berlin(2026, 7, 7)) == [
        (berlin(2026, 7, 5), berlin(2026, 7, 5, 9)),
        (berlin(2026, 7, 5, 17), berlin(2026, 7, 7)),
    ]
    assert schedule(nobody, [cover], berlin(2026, 7, 5), berlin(2026, 7, 7)) == [
        Shift("ben", berlin(2026, 7, 5, 9), berlin(2026, 7, 5, 17), True)
    ]
    assert gaps(daily(), [], berlin(2026, 7, 6, 8), berlin(2026, 8, 6)) == []


def test_on_duty_at_a_hand_over_instant_is_the_incoming_person():
    handover = berlin(2026, 7, 7, 8)
    assert on_duty(daily(), [], handover) == Shift("ben", handover, berlin(2026, 7, 8, 8), False)
    assert on_duty(daily(), [], handover - timedelta(microseconds=1)).user == "anna"
    assert on_duty(daily(), [], berlin(2026, 7, 6, 8)).user == "anna"
    assert on_duty(daily(), [], berlin(2026, 7, 6, 8) - timedelta(microseconds=1)) is None
    assert on_duty(daily(members=()), [], handover) is None


def test_on_duty_gives_a_long_override_whole():
    holiday = Override("cem", berlin(2026, 7, 1), berlin(2026, 7, 29), "Sommerurlaub Team")
    assert on_duty(daily(), [holiday], berlin(2026, 7, 15, 12)) == Shift(
        "cem", berlin(2026, 7, 1), berlin(2026, 7, 29), True
    )


def test_next_shifts_start_with_the_running_one_and_are_whole():
    after = berlin(2026, 7, 6, 12)
    assert next_shifts("anna", daily(), [], after, count=3) == [
        Shift("anna", berlin(2026, 7, 6, 8), berlin(2026, 7, 7, 8), False),
        Shift("anna", berlin(2026, 7, 9, 8), berlin(2026, 7, 10, 8), False),
        Shift("anna", berlin(2026, 7, 12, 8), berlin(2026, 7, 13, 8), False),
    ]
    # the horizon ends in the middle of the 9 July shift: it still comes whole
    short = next_shifts("anna", daily(), [], after, horizon=timedelta(days=3, hours=1))
    assert [s.ends for s in short] == [berlin(2026, 7, 7, 8), berlin(2026, 7, 10, 8)]
    assert next_shifts("ben", daily(), [], after, count=1) == [
        Shift("ben", berlin(2026, 7, 7, 8), berlin(2026, 7, 8, 8), False)
    ]
    assert next_shifts("dora", daily(), [], after) == []


def test_a_hand_over_time_in_the_spring_gap_reads_with_the_old_offset():
    # 02:30 on 29 March 2026 does not exist in Berlin: read as CET it is 01:30 UTC, 03:30 CEST
    rota = daily(date(2026, 3, 28), handover=time(2, 30))
    moments = handovers(rota, berlin(2026, 3, 28), berlin(2026, 3, 31))
    assert moments == [utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30)]
    assert moments[1].astimezone(BERLIN).time() == time(3, 30)
    shifts = schedule(rota, [], moments[0], moments[2])
    assert [hours(s) for s in shifts] == [24, 23]


def test_an_ambiguous_hand_over_time_is_its_first_occurrence():
    # 02:30 on 25 October 2026 happens twice in Berlin: the first time, still CEST
    rota = daily(date(2026, 10, 24), handover=time(2, 30))
    moments = handovers(rota, utc(2026, 10, 24), utc(2026, 10, 27))
    assert moments == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    assert [hours(s) for s in schedule(rota, [], moments[0], moments[2])] == [24, 25]


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Rotation("monthly", TEAM, date(2026, 7, 6), EIGHT, BERLIN), "period"),
        (lambda: Rotation("daily", ("anna", "anna"), date(2026, 7, 6), EIGHT, BERLIN), "unique"),
        (lambda: Override("ben", berlin(2026, 7, 6, 9), berlin(2026, 7, 6, 9), "x"), "end after"),
        (lambda: Override("ben", datetime(2026, 7, 6), berlin(2026, 7, 7), "x"), "aware"),
    ],
)
def test_malformed_rotas_and_overrides_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_naive_window_bounds_are_refused():
    with pytest.raises(ValueError, match="aware"):
        schedule(daily(), [], datetime(2026, 7, 6), berlin(2026, 7, 7))
