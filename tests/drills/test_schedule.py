"""A drill's injects fall due by the drill's own clock, which stands still while it is paused."""

from datetime import UTC, datetime, timedelta

import pytest

from crisisdesk.drills.schedule import due, next_due, releases, running_time
from crisisdesk.library.content import DrillScript, Inject

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the clocks go forward in Europe


def script(*injects: Inject) -> DrillScript:
    return DrillScript(path="x", text="", sha256="", injects=list(injects), duration_minutes=120)


POST = Inject("post", 0, "social_post", "Karte geht nicht", platform="x", author="@a", reach=10)
CALL = Inject("call", 25, "press_call", "Stimmt das?", author="Zeitung")
WAVE = Inject(
    "wave", 15, "complaint_wave", "Geht nicht", platform="facebook", count=4, over_minutes=10
)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def test_a_wave_spreads_its_posts_evenly_from_its_minute():
    found = [(r.key, r.offset, r.part) for r in releases(script(CALL, WAVE, POST))]
    assert found == [
        ("post", minutes(0), 1),
        ("wave#1", minutes(15), 1),
        ("wave#2", minutes(17.5), 2),
        ("wave#3", minutes(20), 3),
        ("wave#4", minutes(22.5), 4),
        ("call", minutes(25), 1),
    ]


@pytest.mark.parametrize(
    ("after", "pauses", "keys"),
    [
        (minutes(0), [], ["post"]),
        (minutes(14.99), [], ["post"]),
        (minutes(17.5), [], ["post", "wave#1", "wave#2"]),
        (minutes(30), [], ["post", "wave#1", "wave#2", "wave#3", "wave#4", "call"]),
        # paused from minute 10 to minute 40 of wall time: 10 minutes of drill have run by 40
        (minutes(40), [(minutes(10), minutes(40))], ["post"]),
        (minutes(45), [(minutes(10), minutes(40))], ["post", "wave#1"]),
        # still paused: the drill's clock stands at the pause's start
        (minutes(90), [(minutes(10), None)], ["post"]),
        # a pause that began before the start counts from the start only
        (minutes(20), [(minutes(-5), minutes(5))], ["post", "wave#1"]),
    ],
)
def test_what_is_due_follows_the_drills_own_clock(after, pauses, keys):
    wall = [(START + a, START + b if b is not None else None) for a, b in pauses]
    assert [r.key for r in due(script(POST, WAVE, CALL), START, START + after, wall)] == keys


def test_released_keys_are_never_due_again_and_next_due_skips_them():
    drill = script(POST, WAVE, CALL)
    assert [r.key for r in due(drill, START, START + minutes(16), [], ["post"])] == ["wave#1"]
    assert next_due(drill, ["post", "wave#1"]).key == "wave#2"
    assert next_due(drill, [r.key for r in releases(drill)]) is None


def test_running_time_never_runs_backwards_or_below_zero():
    assert running_time(START, START - minutes(5), []) == timedelta()
    assert running_time(START, START + minutes(60), [(START, START + minutes(60))]) == timedelta()
    two = [(START + minutes(5), START + minutes(10)), (START + minutes(20), START + minutes(25))]
    assert running_time(START, START + minutes(30), two) == minutes(20)
