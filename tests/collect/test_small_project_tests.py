"""Tests of small and hobby projects (held-out-7e family): a single test file at the top
(``test.py``, ``tests.py``, ``test.sh``), busted specs, and tests written inside the source
(Rust ``#[cfg(test)]`` modules, Zig ``test`` blocks). Before, such projects had "automated
tests: not found" (a false fail) while ``test.js`` already counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

LIB_RS = """\
pub fn add(a: u8, b: u8) -> u8 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {}
}
"""


def _tests(root: Path) -> tuple[str, list[str]]:
    out = run_probe("tests_present", collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


@pytest.mark.parametrize(
    "name",
    ["test.py", "tests.py", "test.sh", "src/tests.rs", "test.lua", "spec/widget_spec.lua",
     "widget_test.rb", "test_cli.sh"],
)  # fmt: skip
def test_single_test_file(tmp_path: Path, name: str) -> None:
    write(tmp_path, {"widget.txt": "w\n", name: "# the tests\n"})
    assert _tests(tmp_path) == ("pass", [name])


def test_rust_tests_inside_the_source(tmp_path: Path) -> None:
    write(tmp_path, {"Cargo.toml": '[package]\nname = "w"\n', "src/lib.rs": LIB_RS})
    assert _tests(tmp_path) == ("pass", ["src/lib.rs:5"])


def test_zig_test_blocks(tmp_path: Path) -> None:
    write(tmp_path, {"src/main.zig": 'const std = @import("std");\n\ntest "adds" {\n}\n'})
    assert _tests(tmp_path) == ("pass", ["src/main.zig:3"])


def test_no_tests_still_fails(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Cargo.toml": '[package]\nname = "w"\n',
            "src/lib.rs": "// a #[test] mentioned in a comment\npub fn a() {}\n",
            "testing-notes.md": "# notes\n",
        },
    )
    assert _tests(tmp_path) == ("fail", [])
