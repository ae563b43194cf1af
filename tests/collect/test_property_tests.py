"""Property-based tests kept among the other tests count as fuzzing set-ups, as fuzz-named
files did (a sixth blind round: a PyPA library's Hypothesis tests under tests/property/).
Self-written fixtures."""

from __future__ import annotations

from pathlib import Path

from steward.collect.scan import fuzz_targets
from steward.collect.tree import walk
from tests.collect.gitrepo import write

HYPOTHESIS_TEST = """\
import pytest
from hypothesis import given, strategies as st

from widget import parse


@given(st.text())
def test_parse_never_crashes(text: str) -> None:
    parse(text)
"""

FAST_CHECK_TEST = """\
import fc from "fast-check";
import { parse } from "../src/parse.js";

test("parse round-trips", () => {
  fc.assert(fc.property(fc.string(), (s) => parse(s) !== undefined));
});
"""


def test_hypothesis_and_fast_check_tests_found_at_their_import(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tests/property/test_parse.py": HYPOTHESIS_TEST,
            "test/parse.test.js": FAST_CHECK_TEST,
            "tests/test_plain.py": "def test_one() -> None:\n    assert 1 + 1 == 2\n",
            "src/widget/given.py": "from hypothesis import given  # not a test file\n",
        },
    )
    found = {(f.source.path, f.source.line) for f in fuzz_targets(walk(tmp_path))}
    assert found == {("tests/property/test_parse.py", 2), ("test/parse.test.js", 1)}
