"""Kinds the eleventh blind round (held-out-11f: hobby and single-maintainer projects in C,
Go and JavaScript) showed, each on a small self-written fixture:

- a drop-in C library that keeps its two files in ``src/`` ("log.c and log.h should be
  dropped into an existing project and compiled along with it") has nothing to build, as a
  single file at the top of the tree has: the README sentence is its build instruction (a
  false fail of ``build_instructions_documented`` before, which only looked at the top);
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def _judge(probe: str, root: Path) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" for e in out.evidence if e.line]


# --------------------------------------------------------- drop-in library in src/

LOG_README = (
    "# tinylog\nA small logging library.\n\n## Usage\n"
    "**[tinylog.c](src/tinylog.c?raw=1)** and **[tinylog.h](src/tinylog.h?raw=1)** should be"
    " dropped\ninto an existing project and compiled along with it.\n\n## License\nMIT\n"
)


def test_a_drop_in_library_in_its_source_directory_is_its_build(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": LOG_README, "src/tinylog.c": "int x;\n",
                     "src/tinylog.h": "extern int x;\n"})  # fmt: skip
    assert _judge("build_instructions_documented", tmp_path) == ("pass", ["README.md:5"])


@pytest.mark.parametrize("where", ["lib/tinylog.c", "include/tinylog.h", "tinylog.c"])
def test_the_other_source_directories_and_the_top_count_too(tmp_path: Path, where: str) -> None:
    name = where.rpartition("/")[2]
    write(tmp_path, {"README.md": f"# t\n\nCopy `{name}` into your project.\n", where: "x\n"})
    assert _judge("build_instructions_documented", tmp_path) == ("pass", ["README.md:3"])


@pytest.mark.parametrize(
    "where", ["examples/tinylog.c", "tests/tinylog.c", "src/deep/tinylog.c", "docs/tinylog.c"]
)
def test_files_elsewhere_are_not_the_library_to_drop_in(tmp_path: Path, where: str) -> None:
    write(tmp_path, {"README.md": "# t\n\nCopy `tinylog.c` into your project.\n", where: "x\n"})
    assert _judge("build_instructions_documented", tmp_path)[0] == "fail"
