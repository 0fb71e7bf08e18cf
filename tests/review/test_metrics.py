"""Metrics from the timeline alone, to the second, including the awkward cases."""

from datetime import UTC, datetime, timedelta

from crisisdesk.review.metrics import Ev, compute

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def opened(severity=1):
    return Ev("incident_opened", T0, {"severity": severity})


def iso(minutes: float) -> str:
    return at(minutes).isoformat().replace("+00:00", "Z")


def test_a_full_incident():
    events = [
        opened(),
        Ev("escalation_notified", at(0), {"step": 1, "due_at": iso(0)}),
        Ev("escalation_acknowledged", at(2), {"step": 1, "late_s": 120}),
        Ev("escalation_notified", at(15), {"step": 2, "due_at": iso(15)}),
        Ev("escalation_acknowledged", at(14), {"step": 3, "late_s": 0}),
        Ev("response_submitted", at(5), {"response": 1}),
        Ev("response_approved", at(9), {"response": 1}),
        Ev("response_published", at(10), {"response": 1, "published_at": iso(10)}),
        Ev("response_submitted", at(20), {"response": 2}),
        Ev("response_rejected", at(30), {"response": 2}),
        Ev("response_revised", at(31), {"response": 2}),
        Ev("response_submitted", at(32), {"response": 2}),
        Ev("response_approved", at(34), {"response": 2}),
        Ev("response_published", at(55), {"response": 2, "published_at": iso(55)}),
        Ev("status_changed", at(60), {"before": "open", "after": "monitoring"}),
        Ev("status_changed", at(90), {"before": "monitoring", "after": "resolved"}),
        Ev("status_changed", at(120), {"before": "resolved", "after": "closed"}),
    ]
    m = compute(events, now=at(500), cadence_minutes={1: 30, 2: 60})
    assert m["time_to_first_ack_s"] == 120
    assert m["time_to_first_publication_s"] == 600
    assert m["median_legal_review_s"] == 240  # reviews of 240, 600 and 120 s
    assert m["max_legal_review_s"] == 600
    assert (m["responses_published"], m["responses_rejected"], m["responses_revised"]) == (2, 1, 1)
    assert (m["escalations_on_time"], m["escalations_overdue"]) == (1, 2)  # late ack + never acked
    assert m["longest_update_gap_s"] == 65 * 60  # last publication at 55 → closed at 120
    assert m["update_cadence_target_s"] == 1800
    assert m["time_per_status_s"] == {
        "open": 3600,
        "monitoring": 1800,
        "resolved": 1800,
        "closed": 0,
    }
    assert m["duration_s"] == 7200


def test_nothing_published_yet():
    m = compute([opened(3)], now=at(45), cadence_minutes={3: 120})
    assert m["time_to_first_publication_s"] is None and m["time_to_first_ack_s"] is None
    assert m["median_legal_review_s"] is None and m["responses_published"] == 0
    assert m["longest_update_gap_s"] == 45 * 60 and m["duration_s"] == 45 * 60


def test_rejected_twice_counts_each_review():
    events = [opened(2)]
    for number, (start, end) in enumerate([(1, 4), (5, 15), (16, 17)]):
        events.append(Ev("response_submitted", at(start), {"response": 7}))
        events.append(
            Ev("response_rejected" if number < 2 else "response_approved", at(end), {"response": 7})
        )
    m = compute(events, now=at(20))
    assert m["responses_rejected"] == 2
    assert m["median_legal_review_s"] == 180 and m["max_legal_review_s"] == 600


def test_severity_change_mid_incident_splits_time_and_tightens_the_target():
    events = [
        opened(3),
        Ev("severity_changed", at(10), {"before": 3, "after": 1}),
        Ev("severity_changed", at(40), {"before": 1, "after": 2}),
    ]
    m = compute(events, now=at(100), cadence_minutes={1: 30, 2: 60, 3: 120})
    assert m["time_per_severity_s"] == {"3": 600, "1": 1800, "2": 3600}
    assert m["update_cadence_target_s"] == 1800


def test_reopened_incident_adds_up_time_per_status():
    events = [
        opened(),
        Ev("status_changed", at(10), {"after": "monitoring"}),
        Ev("status_changed", at(20), {"after": "open"}),
        Ev("status_changed", at(50), {"after": "monitoring"}),
    ]
    m = compute(events, now=at(60))
    assert m["time_per_status_s"] == {"open": 2400, "monitoring": 1200}


def test_publication_recorded_with_an_earlier_time_counts_at_that_time():
    events = [opened(), Ev("response_published", at(30), {"response": 1, "published_at": iso(12)})]
    assert compute(events, now=at(30))["time_to_first_publication_s"] == 720


def test_no_opening_event_means_no_metrics():
    assert compute([], now=at(1)) == {}
