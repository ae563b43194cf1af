"""Regular expressions over untrusted lines cost time linear in the line (issue 18, kind 5).

Each case is a long adversarial line for one pattern that used to backtrack: the CPU time at
10x the length must stay far below the quadratic 100x (bound 35x, floor 10 ms for noise).
Before the fixes: ``_REQUIREMENT`` on a name and 12,000 spaces took 5 s, ``_EMAIL`` on
"1." x 6,000 took 1 s, the Gradle dynamic-version check on 20,000 blank lines 9.6 s;
HTML-comment blanking, the README "security ... link" check and the person/e-mail pattern
were quadratic too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from steward.collect.deps import _GRADLE_DYNAMIC
from steward.collect.documents import _LINK, _PERSON, blank_html_comments, timeframe_near_verb
from steward.collect.reporting import points_to_policy
from steward.sbom.ecosystems.pyproject_declared import _dotted
from steward.sbom.ecosystems.python_requirements import (
    _DIRECT_REFERENCE,
    _OPTION_START,
    _REQUIREMENT,
)
from steward.sbom.read import _EMAIL


def _cpu(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return max(best, 0.01)


CASES: list[tuple[str, re.Pattern[str], Callable[[int], str]]] = [
    ("requirement spaces", _REQUIREMENT, lambda n: "pkg<name>" + " " * n + "!"),
    ("requirement tabs", _REQUIREMENT, lambda n: "pkg " + "\t" * n + "x;"),
    ("e-mail no at", _EMAIL, lambda n: "1." * n),
    ("e-mail many ats", _EMAIL, lambda n: "a@" * n),
    ("requirement options", _OPTION_START, lambda n: "pkg" + " " * n + "x"),
    ("direct reference", _DIRECT_REFERENCE, lambda n: "pkg" + " " * n + "!"),
    ("gradle blank lines", _GRADLE_DYNAMIC, lambda n: "\n" * n + "x"),
    ("gradle space lines", _GRADLE_DYNAMIC, lambda n: " \n" * (n // 2) + "x"),
    ("gradle require", _GRADLE_DYNAMIC, lambda n: "require" + " " * n + "x"),
    ("person no at", _PERSON, lambda n: "1." * n),
    ("rest link spaces", _LINK, lambda n: "`" + " " * n + "x"),
]


@pytest.mark.parametrize(("label", "pattern", "line"), CASES, ids=[c[0] for c in CASES])
def test_linear_on_long_line(
    label: str, pattern: re.Pattern[str], line: Callable[[int], str]
) -> None:
    small, large = line(20_000), line(200_000)
    ratio = _cpu(lambda: list(pattern.finditer(large))) / _cpu(
        lambda: list(pattern.finditer(small))
    )
    assert ratio < 35, label


TEXT_CASES: list[tuple[str, Callable[[str], object], Callable[[int], str]]] = [
    ("unclosed html comments", blank_html_comments, lambda n: "<!-- a " * (n // 7)),
    ("security words, no link", points_to_policy, lambda n: "security " * (n // 9)),
    ("toml header dots", _dotted, lambda n: "a" + " " * n + "b"),
    ("periods, no verb", timeframe_near_verb, lambda n: "1 day " * (n // 6)),
    ("verb, periods, no phrase", timeframe_near_verb, lambda n: "reply " + "2 days " * (n // 7)),
]


@pytest.mark.parametrize(("label", "run", "text"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_text_helpers_linear(
    label: str, run: Callable[[str], object], text: Callable[[int], str]
) -> None:
    small, large = text(20_000), text(200_000)
    assert _cpu(lambda: run(large)) / _cpu(lambda: run(small)) < 35, label


def test_toml_header_dots_linear() -> None:
    small, large = "a" + " " * 20_000 + "b", "a" + " " * 200_000 + "b"
    assert _cpu(lambda: _dotted(large)) / _cpu(lambda: _dotted(small)) < 35
    assert _dotted("tool . poetry .dependencies") == "tool.poetry.dependencies"


def test_requirement_split_is_unchanged() -> None:
    match = _REQUIREMENT.match("requests [socks] >= 2.0 , < 3  ; python_version > '3.8'")
    assert match is not None
    assert match.group("name", "extras", "spec", "marker") == (
        "requests",
        "socks",
        ">= 2.0 , < 3",
        "python_version > '3.8'",
    )
    assert _OPTION_START.split("pkg==1  --hash=sha256:x", maxsplit=1) == [
        "pkg==1",
        "--hash=sha256:x",
    ]
    assert _GRADLE_DYNAMIC.search("\n\n  foo = '1.+'") and _GRADLE_DYNAMIC.search("require '1.+'")
    assert not _GRADLE_DYNAMIC.search("x = '1.0'\nimplementation 'a:b:1.0'")
    assert _DIRECT_REFERENCE.match("pkg [x]  @ https://e.org/p.whl")
    assert blank_html_comments("a<!-- x\ny -->b<!-- open") == "a\nb<!-- open"
    sample = "a<!-- x\ny -->b\n<!--c-->\n<!--> d --> e<!-- open"
    removed = re.sub(r"<!--.*?-->", "", sample, flags=re.S)
    assert blank_html_comments(sample, keep_lines=False) == removed
    assert points_to_policy("Security: see https://e.org/s") and not points_to_policy("security")
    assert _LINK.search("see `the guide  <CONTRIBUTING.rst>`_").group(3, 4) == (
        "the guide",
        "CONTRIBUTING.rst",
    )
    assert _PERSON.findall("by @jane and bob.x@example.org") == ["@jane", "bob.x@example.org"]
    assert _EMAIL.findall("Jane <jane@example.org>, bob@x.io") == ["jane@example.org", "bob@x.io"]
