"""Hostile input: a megabyte-scale single line in every document, workflow, recipe and
Dockerfile is read in linear time (a backtracking pattern made this take minutes)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steward.collect import collect_facts
from tests.collect.gitrepo import write


@pytest.mark.parametrize("unit", ["verify release ", "https://x/", "${{ ", "security at "])
def test_one_long_line_everywhere(tmp_path: Path, unit: str) -> None:
    line = unit * (60_000 // len(unit))
    write(tmp_path, {
        "README.md": line, "SECURITY.md": line, "CONTRIBUTING.md": line,
        ".github/workflows/a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        f"      - run: {line!r}\n",
        "Makefile": f"ci:\n\t{line}\n", "Dockerfile": f"FROM x\nRUN {line}\n",
    })  # fmt: skip
    started = time.process_time()
    facts = collect_facts(tmp_path)
    assert facts.file_count == 6
    # CPU seconds of this process, so that a loaded machine does not fail it; the quadratic
    # scans took minutes
    assert time.process_time() - started < 10
