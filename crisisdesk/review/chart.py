"""The incident as an SVG drawn on the server: time
axis, severity bands, escalations, publications, status.
"""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..i18n import localtime
from .metrics import Ev, _moment

WIDTH, HEIGHT, LEFT, RIGHT = 800, 170, 100, 20
SEVERITY_COLOURS = {1: "#842029", 2: "#b02a37", 3: "#b76e00", 4: "#6c757d"}
LANES = {"severity": 30, "escalation": 70, "publication": 105, "status": 140}
#: markers of one kind closer than this are drawn once, their count in the title
#: (a glyph is ~9 px wide)
MERGE_PX = 3


def incident_chart(events: list[Ev], end: datetime, title: str, labels: dict[str, str]) -> Markup:
    """An accessible SVG (role=img with a title and description) of the incident's course,
    followed by a table of the same data."""
    opened = next((e for e in events if e.kind == "incident_opened"), None)
    if opened is None:
        return Markup("")
    start = opened.at
    span = max((end - start).total_seconds(), 60.0)

    def x(moment: datetime) -> float:
        return round(
            LEFT
            + (WIDTH - LEFT - RIGHT) * max(0.0, min(1.0, (moment - start).total_seconds() / span)),
            1,
        )

    # one glyph per lane, kind and MERGE_PX: a long incident has thousands
    markers: dict[tuple, list] = {}

    def mark(moment: datetime, lane: str, colour: str, glyph: str, label: str) -> None:
        at = x(moment)
        entry = markers.setdefault(
            (round(at / MERGE_PX), lane, colour, glyph, label), [at, 0, moment]
        )
        entry[1] += 1

    for e in events:
        if e.kind == "escalation_notified":
            mark(_moment(e.data.get("due_at"), e.at), "escalation", "#b02a37", "▽", labels["due"])
        elif e.kind == "escalation_acknowledged":
            mark(e.at, "escalation", "#146c43", "✓", labels["ack"])
        elif e.kind == "response_published":
            moment = _moment(e.data.get("published_at"), e.at)
            mark(moment, "publication", "#0a58ca", "●", labels["published"])
        elif e.kind == "status_changed":
            mark(e.at, "status", "#212529", "◆", f"{labels['status']}: {e.data.get('after')}")
    severities = _severity_changes(events, opened)
    parts = [_bands(severities, end, x, labels)] + [
        _marker(at, LANES[lane], colour, glyph, _counted(label, count))
        for (_px, lane, colour, glyph, label), (at, count, _moment_) in markers.items()
    ]
    rows = [(at, f"{labels['severity']} {severity}") for at, severity in severities] + [
        (moment, f"{labels[lane]}: " * (lane == "escalation") + _counted(label, count))
        for (_px, lane, _c, _g, label), (_at, count, moment) in markers.items()
    ]
    axis = (
        f'<line x1="{LEFT}" y1="{HEIGHT - 12}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - 12}" '
        f'stroke="#495057"/>'
        f'<text x="{LEFT}" y="{HEIGHT - 1}" font-size="11">{escape(labels["start"])}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 1}" font-size="11" text-anchor="end">'
        f"{escape(labels['end'])}</text>"
    )
    lane_names = "".join(
        f'<text x="2" y="{y + 4}" font-size="11">{escape(labels[name])}</text>'
        for name, y in LANES.items()
    )
    return Markup(
        f'<svg class="incident-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-t chart-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-t">{escape(title)}</title>'
        f'<desc id="chart-d">{escape(labels["description"])}</desc>'
        f"{lane_names}{''.join(parts)}{axis}</svg>"
    ) + _table(rows, title)


def _counted(label: str, count: int) -> str:
    return label if count == 1 else f"{label} ×{count}"


def _severity_changes(events, opened) -> list[tuple[datetime, object]]:
    return [(opened.at, opened.data.get("severity"))] + [
        (e.at, e.data.get("after")) for e in events if e.kind == "severity_changed"
    ]


def _table(rows: list[tuple[datetime, str]], title: str) -> Markup:
    """The chart's data as a table: read by screen readers, and shown where the chart is too
    narrow for its text to be legible."""
    body = "".join(
        f"<tr><td>{escape(_when(at))}</td><td>{escape(what)}</td></tr>"
        for at, what in sorted(rows, key=lambda row: row[0])
    )
    return Markup(
        f'<table class="table table-sm chart-table"><caption>{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(_("When"))}</th>'
        f'<th scope="col">{escape(_("What"))}</th></tr></thead><tbody>{body}</tbody></table>'
    )


def _when(moment: datetime) -> str:
    # the reader's zone and language in a request; UTC where there is no reader
    if has_request_context():
        return localtime(moment, "short")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _bands(changes, end, x, labels) -> str:
    bands = []
    for (at, severity), (next_at, _next) in zip(changes, changes[1:] + [(end, None)], strict=True):
        left, right = x(at), x(next_at)
        colour = SEVERITY_COLOURS.get(severity, "#6c757d")
        bands.append(
            f'<rect x="{left}" y="{LANES["severity"] - 10}" width="{max(right - left, 1)}" '
            f'height="18" fill="{colour}">'
            f"<title>{escape(labels['severity'])} {escape(str(severity))}</title></rect>"
            f'<text x="{left + 3}" y="{LANES["severity"] + 3}" font-size="11" fill="#fff">'
            f"{escape(str(severity))}</text>"
        )
    return "".join(bands)


def _marker(x: float, y: int, colour: str, glyph: str, label: str) -> str:
    return (
        f'<text x="{x}" y="{y + 4}" font-size="14" fill="{colour}" text-anchor="middle">{glyph}'
        f"<title>{escape(label)}</title></text>"
    )
