"""Kinds the eleventh blind round's held-out-11h part (apache/arrow-nanoarrow,
eclipse/paho.mqtt.cpp, sindresorhus/meow) showed, each on a small self-written fixture:

- clang-tidy run by LLVM's drivers of it, ``run-clang-tidy`` (over a compilation database)
  or ``clang-tidy-diff``, directly in a step or in a script the step runs, is static
  analysis (a false fail of ``sast_configured`` before); clang-format is not;
- the issue tracker a library's bindings declare in their own package metadata
  (``python/pyproject.toml`` ``Issues``, ``r/DESCRIPTION`` ``BugReports``) documents where
  bugs go (a false level-1 fail of ``bug_reporting_documented`` before).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def _locations(probe: str, root: Path) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" for e in out.evidence]


LINT = """\
on: [push, pull_request]
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cmake -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
      - run: {step}
"""
SCRIPT = """\
#!/usr/bin/env bash
set -e
# lint the sources
{command} | tee "$1/lint.txt"
"""


@pytest.mark.parametrize(
    "command",
    ['run-clang-tidy -p "$1" -quiet', 'run-clang-tidy-18 -p "$1"',
     '/usr/share/clang/run-clang-tidy.py -p "$1"', "git diff -U0 | clang-tidy-diff -p1"],
)  # fmt: skip
def test_clang_tidy_drivers_in_a_ci_script_are_static_analysis(
    tmp_path: Path, command: str
) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/lint.yml": LINT.format(step="tools/lint.sh build"),
            "tools/lint.sh": SCRIPT.format(command=command),
            "src/widget.c": "int widget(void) { return 1; }\n",
        },
    )
    status, where = _locations("sast_configured", tmp_path)
    assert status == "pass"
    assert "tools/lint.sh:4" in where


def test_clang_tidy_driver_in_a_step_is_static_analysis(tmp_path: Path) -> None:
    step = "run-clang-tidy -p build"
    write(tmp_path, {".github/workflows/lint.yml": LINT.format(step=step)})
    assert _locations("sast_configured", tmp_path) == (
        "pass",
        [".github/workflows/lint.yml:10"],
    )


def test_clang_format_is_no_analysis(tmp_path: Path) -> None:
    step = "run-clang-format -r src && clang-format --dry-run src/*.c"
    write(tmp_path, {".github/workflows/lint.yml": LINT.format(step=step)})
    assert _locations("sast_configured", tmp_path)[0] == "fail"


def test_bindings_issue_tracker_passes_bug_reporting(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "README.md": "# Widget\n\nA small C library.\n",
            "CMakeLists.txt": "project(widget C)\n",
            "python/pyproject.toml": (
                '[project]\nname = "widget"\n\n[project.urls]\n'
                'Issues = "https://forge.example.org/widget/issues"\n'
            ),
            "r/DESCRIPTION": (
                "Package: widget\nVersion: 1.0.0\n"
                "BugReports: https://forge.example.org/widget/issues\n"
            ),
        },
    )
    assert _locations("bug_reporting_documented", tmp_path) == (
        "pass",
        ["python/pyproject.toml:5", "r/DESCRIPTION:3"],
    )


APPVEYOR = """\
version: 1.0.{build}
image: Visual Studio 2019
build_script:
- cmd: >-
    mkdir build

    cd build

    "C:\\Program Files (x86)\\MSVC\\2019\\VC\\vcvarsall.bat" x64

    call %ProgramFiles%\\Tools\\setenv.cmd

    cmake -G "NMake Makefiles" ..

    nmake
"""


def test_a_windows_system_program_is_no_unfollowed_repository_script(tmp_path: Path) -> None:
    # the Visual Studio environment script is the runner's, not the repository's: with no
    # test run in the CI, the verdict is a fail, not "cannot tell" pointing at vcvarsall.bat
    write(tmp_path, {"appveyor.yml": APPVEYOR, "CMakeLists.txt": "project(widget CXX)\n"})
    status, where = _locations("tests_run_in_ci", tmp_path)
    assert (status, where) == ("fail", ["appveyor.yml:None"])


def test_the_same_build_with_a_test_run_passes(tmp_path: Path) -> None:
    appveyor = APPVEYOR + "\ntest_script:\n- cmd: ctest --test-dir build\n"
    write(tmp_path, {"appveyor.yml": appveyor, "CMakeLists.txt": "project(widget CXX)\n"})
    assert _locations("tests_run_in_ci", tmp_path)[0] == "pass"
