"""The incident as an SVG drawn on the server: time
axis, severity bands, escalations, publications, status.
"""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from .metrics import Ev, _moment

WIDTH, HEIGHT, LEFT, RIGHT = 800, 170, 40, 20
SEVERITY_COLOURS = {1: "#842029", 2: "#b02a37", 3: "#b76e00", 4: "#6c757d"}
LANES = {"severity": 30, "escalation": 70, "publication": 105, "status": 140}
#: markers of one kind closer than this are drawn once, their count in the title
#: (a glyph is ~9 px wide)
MERGE_PX = 3


def incident_chart(events: list[Ev], end: datetime, title: str, labels: dict[str, str]) -> Markup:
    """An accessible SVG (role=img with a title and description) of the incident's course."""
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

    def mark(at: float, lane: str, colour: str, glyph: str, label: str) -> None:
        entry = markers.setdefault((round(at / MERGE_PX), lane, colour, glyph, label), [at, 0])
        entry[1] += 1

    for e in events:
        if e.kind == "escalation_notified":
            mark(
                x(_moment(e.data.get("due_at"), e.at)), "escalation", "#b02a37", "▽", labels["due"]
            )
        elif e.kind == "escalation_acknowledged":
            mark(x(e.at), "escalation", "#146c43", "✓", labels["ack"])
        elif e.kind == "response_published":
            mark(
                x(_moment(e.data.get("published_at"), e.at)),
                "publication",
                "#0a58ca",
                "●",
                labels["published"],
            )
        elif e.kind == "status_changed":
            mark(x(e.at), "status", "#212529", "◆", f"{labels['status']}: {e.data.get('after')}")
    parts = [_bands(events, opened, end, x, labels)] + [
        _marker(at, LANES[lane], colour, glyph, label if count == 1 else f"{label} ×{count}")
        for (_px, lane, colour, glyph, label), (at, count) in markers.items()
    ]
    axis = (
        f'<line x1="{LEFT}" y1="{HEIGHT - 12}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - 12}" '
        f'stroke="#495057"/>'
        f'<text x="{LEFT}" y="{HEIGHT - 1}" font-size="11">{escape(labels["start"])}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 1}" font-size="11" text-anchor="end">'
        f"{escape(labels['end'])}</text>"
    )
    lane_names = "".join(
        f'<text x="2" y="{y + 4}" font-size="10">{escape(labels[name])}</text>'
        for name, y in LANES.items()
    )
    return Markup(
        f'<svg class="incident-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-t chart-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-t">{escape(title)}</title>'
        f'<desc id="chart-d">{escape(labels["description"])}</desc>'
        f"{lane_names}{''.join(parts)}{axis}</svg>"
    )


def _bands(events, opened, end, x, labels) -> str:
    changes = [(opened.at, opened.data.get("severity"))] + [
        (e.at, e.data.get("after")) for e in events if e.kind == "severity_changed"
    ]
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
