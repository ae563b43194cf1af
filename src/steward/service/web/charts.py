"""Charts drawn on the server as inline SVG (no script, no style attributes: the pages' CSP
allows neither): a line chart of a few series over time.

Every number placed in the SVG is a float formatted here; every text is escaped with
:func:`markupsafe.escape`, so a chart cannot carry markup from stored data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

#: series colours (WCAG AA against white for the lines and their legend text)
COLOURS = {
    "critical": "#8e1111",
    "high": "#a3410a",
    "medium": "#6d5400",
    "low": "#25605a",
    "failing": "#0b4f8a",
    "level": "#1d6b33",
    "open": "#59626e",
}


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: Sequence[float | None]  # one per x label; None: no data at that point


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    return float(int(value * 1.1) + 1)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 220,
) -> Markup:
    """An SVG line chart with a y axis from 0, x labels (some skipped when crowded), and a
    legend; ``role="img"`` with the title as its accessible name (the numbers follow in a
    table next to the chart where it matters)."""
    left, right, top, bottom = 44.0, 12.0, 12.0, 46.0
    plot_w = width - left - right
    plot_h = height - top - bottom
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    y_top = _nice_top(float(highest))
    count = max(len(x_labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v / y_top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):
        value = y_top * k / 4
        yy = y(value)
        parts.append(
            f'<line x1="{left:.1f}" y1="{yy:.1f}" x2="{width - right:.1f}" y2="{yy:.1f}" '
            f'stroke="#d5dbe2" stroke-width="1"/>'
        )
        label = f"{value:.0f}" if y_top >= 4 else f"{value:.1f}"
        parts.append(
            f'<text x="{left - 6:.1f}" y="{yy + 4:.1f}" text-anchor="end" fill="#4a5360">'
            f"{escape(label)}</text>"
        )
    every = max(1, (count + 7) // 8)
    for i, text in enumerate(x_labels):
        if i % every and i != count - 1:
            continue
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle" '
            f'fill="#4a5360">{escape(text)}</text>'
        )
    for s in series:
        points = [(x(i), y(float(v))) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{escape(s.colour)}" '
                f'stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{escape(s.colour)}"/>')
    lx = left
    for s in series:
        ly = height - 10
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 9:.1f}" width="12" height="10" '
            f'fill="{escape(s.colour)}"/>'
        )
        parts.append(
            f'<text x="{lx + 16:.1f}" y="{ly:.1f}" fill="#1b1f24">{escape(s.label)}</text>'
        )
        lx += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers formatted here, texts escaped


def trend_chart(data: Any, title: str) -> Markup:
    """The weekly trend (:func:`steward.service.web.queries.trend`): open vulnerabilities by
    severity and failing requirements, one line each."""
    labels = [m.strftime("%d %b") for m in data.moments]
    series = [
        Series(sev, COLOURS[sev], [float(v) for v in values])
        for sev, values in data.open_by_severity.items()
    ]
    series.append(
        Series(
            "failing requirements",
            COLOURS["failing"],
            [None if v is None else float(v) for v in data.failing],
        )
    )
    return line_chart(title, labels, series)
