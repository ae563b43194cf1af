"""The response-time check of a security policy gives the verdicts of its former single
regular expression, whose ``.*`` between a period and a verb was quadratic on long lines."""

from __future__ import annotations

import random
import re

import pytest

from steward.collect.documents import _NUM, _UNIT, timeframe_near_verb

# the former pattern, kept here as the reference the linear search must agree with
FORMER = re.compile(
    rf"(?:\b{_NUM}(?:\s*(?:-|to)\s*\d+)?[\s-]+{_UNIT}\b.*\b(?:respon|acknowledg|repl|triag|"
    rf"answer|fix|patch|disclos|embargo)|\b(?:respon|acknowledg|repl|triag|answer)\w*\b.*"
    rf"\b(?:within|in|after|by)\s+{_NUM}(?:\s*(?:-|to)\s*\d+)?\s+{_UNIT}\b)",
    re.I,
)

WORDS = [
    "we",
    "respond",
    "responded",
    "reply",
    "acknowledge",
    "triage",
    "answer",
    "fix",
    "patch",
    "disclose",
    "embargo",
    "within",
    "in",
    "after",
    "by",
    "the",
    "next",
    "1",
    "2",
    "14",
    "90",
    "a",
    "an",
    "one",
    "two",
    "three",
    "to",
    "-",
    "3-5",
    "business",
    "working",
    "calendar",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "days.",
    "report",
    "security",
    "issue,",
    "fixes",
    "unresponsive",
    "prefix",
    "48h",
    "2-3",
]


@pytest.mark.parametrize(
    "line",
    [
        "We aim to respond within 2 business days.",
        "Expect a reply in 3-5 working days.",
        "Within 90 days we will disclose the issue.",
        "90 days after the report we publish a fix",
        "We acknowledge reports within one week",
        "Answers take 2 to 4 weeks",
        "An issue opened 3 days ago",
        "respond quickly; typically within 48h",
        "prefix 2 days",
    ],
)
def test_written_policies(line: str) -> None:
    assert timeframe_near_verb(line) == bool(FORMER.search(line)), line


def test_agrees_with_the_former_pattern_on_random_lines() -> None:
    rng = random.Random(18)
    for _ in range(20_000):
        seps = (" ", " ", " ", "-", ", ", "")
        line = "".join(rng.choice(WORDS) + rng.choice(seps) for _ in range(rng.randint(1, 12)))
        assert timeframe_near_verb(line) == bool(FORMER.search(line)), line
