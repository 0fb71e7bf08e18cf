"""The course chart draws close markers of one kind once and says how many they stand for."""

import re
from datetime import UTC, datetime, timedelta

from crisisdesk.review.chart import incident_chart
from crisisdesk.review.metrics import Ev

START = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
LABELS = {
    "severity": "Severity",
    "escalation": "Escalation",
    "publication": "Published",
    "status": "Status",
    "due": "step due",
    "ack": "acknowledged",
    "published": "published",
    "start": "opened",
    "end": "now",
    "description": "Course",
}


def _published(at):
    return Ev("response_published", at, {"published_at": at.isoformat()})


def test_thousands_of_publications_in_one_spot_are_one_marker_with_their_count():
    events = [Ev("incident_opened", START, {"severity": 2})]
    events += [_published(START + timedelta(hours=1, milliseconds=10 * n)) for n in range(1000)]
    events += [_published(START + timedelta(hours=9))]
    svg = str(incident_chart(events, START + timedelta(hours=10), "Course of CD-1", LABELS))
    titles = re.findall(r"●<title>([^<]+)</title>", svg)
    assert titles == ["published ×1000", "published"]
    assert len(svg) < 3000


def test_markers_of_other_kinds_or_far_apart_stay_apart():
    events = [
        Ev("incident_opened", START, {"severity": 1}),
        Ev("escalation_acknowledged", START + timedelta(minutes=30), {}),
        _published(START + timedelta(minutes=30)),
        Ev("status_changed", START + timedelta(minutes=30), {"after": "monitoring"}),
        Ev("status_changed", START + timedelta(hours=5), {"after": "resolved"}),
    ]
    svg = str(incident_chart(events, START + timedelta(hours=10), "Course of CD-1", LABELS))
    assert re.findall(r"<title>([^<]+)</title></text>", svg) == [
        "acknowledged",
        "published",
        "Status: monitoring",
        "Status: resolved",
    ]
