"""YAML with positions: every value reports its own line, comments never count."""

from __future__ import annotations

import pytest

from steward.collect.yamlpos import Located, LocatedMap, key_line, line_of, load_located
from steward.errors import InputError

WORKFLOW = """\
# uses: actions/checkout@v4 (a comment, not a step)
on: push
jobs:
  build:
    steps:
      - uses: actions/checkout@v4   # first
      - run: |
          echo one

          cargo test --all
      - run: >
          echo a
          && pytest -q
      - run: "echo quoted"
      - uses: actions/checkout@v4
"""


def test_repeated_values_keep_their_own_lines() -> None:
    doc = load_located(WORKFLOW, source="ci.yml")
    steps = doc["jobs"]["build"]["steps"]
    assert [line_of(s.get("uses")) for s in steps] == [6, None, None, None, 15]
    assert isinstance(doc, LocatedMap) and isinstance(steps[0]["uses"], Located)
    assert key_line(doc, "jobs") == 3 and key_line(doc["jobs"], "build") == 4


def test_lines_inside_block_and_folded_scalars() -> None:
    steps = load_located(WORKFLOW, source="ci.yml")["jobs"]["build"]["steps"]
    literal = steps[1]["run"]
    assert literal.line_at(0) == 8 and literal.line_at(literal.index("cargo")) == 10
    folded = steps[2]["run"]
    assert folded == "echo a && pytest -q\n"
    assert folded.line_at(folded.index("pytest")) == 13
    assert steps[3]["run"].line_at(5) == 14


def test_located_strings_are_plain_strings_to_callers() -> None:
    doc = load_located("a: b\n", source="x.yml")
    assert doc == {"a": "b"} and str(doc["a"]) == "b" and hash(doc["a"]) == hash("b")


def test_bad_yaml_is_an_input_error_with_the_line() -> None:
    with pytest.raises(InputError) as info:
        load_located("a: [1,\nb: 2\n", source="bad.yml")
    assert info.value.line is not None
