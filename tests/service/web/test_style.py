"""The style sheet's colour pairs meet WCAG 2.2 AA contrast (4.5:1 for text), and the charts
escape what they draw."""

from __future__ import annotations

import re

import pytest

from steward.service.web import STATIC
from steward.service.web.charts import Series, line_chart


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variables() -> dict[str, str]:
    css = (STATIC / "steward.css").read_text()
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


TEXT_ON_BACKGROUND = [
    ("ink", "paper"),
    ("ink", "wash"),
    ("muted", "paper"),
    ("muted", "wash"),
    ("brand", "paper"),
    ("brand", "wash"),
    ("brand-ink", "brand"),
    ("crit", "paper"),
    ("high", "paper"),
    ("med", "paper"),
    ("low", "paper"),
    ("ok", "paper"),
    ("crit", "bad-bg"),
    ("ink", "bad-bg"),
    ("ink", "ok-bg"),
    ("med", "warn-bg"),
    ("paper", "crit"),  # white text on the severity badges
    ("paper", "high"),
    ("paper", "med"),
    ("paper", "low"),
]


@pytest.mark.parametrize(("text", "background"), TEXT_ON_BACKGROUND)
def test_text_contrast(text: str, background: str) -> None:
    colours = _variables()
    assert contrast(colours[text], colours[background]) >= 4.5, (text, background)


def test_chart_escapes_labels() -> None:
    svg = str(
        line_chart(
            'Trend of <script>alert("x")</script>',
            ["<b>1 Jan</b>", "8 Jan"],
            [Series("<i>high</i>", "#a3410a", [1.0, None])],
        )
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and 'role="img"' in svg
    assert " style=" not in svg  # the pages' CSP allows no style attributes
