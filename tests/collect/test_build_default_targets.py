"""A bare build tool in CI runs the build file's default target: followed one level to see
whether it runs the tests, like a bare ``rake`` (issue 9, item 5) — Gradle ``defaultTasks``,
Ant ``<project default=...>`` (and named Ant targets through ``depends``), go-task's
``default`` task (and named tasks), make's ``.DEFAULT_GOAL`` or first target, just's first
recipe. Version, help, list and dry-run options run nothing. Small self-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect import collect_facts
from steward.collect.buildtargets import (
    ant_target,
    gradle_default_tasks,
    make_default_goal,
    taskfile_target,
)
from steward.collect.ci import collect_workflows
from steward.collect.commands import test_run as classify
from steward.collect.tree import walk
from steward.evaluate.probes.base import run_probe
from tests.collect.gitrepo import write


def _workflow(run: str) -> str:
    return ("on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
            f"    steps:\n      - uses: actions/checkout@v5\n      - run: {run}\n")  # fmt: skip


def _ci(tmp_path: Path, run: str, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """(tests, test_unknowns) of a workflow whose one step runs ``run``, as path:line detail."""
    write(tmp_path, {".github/workflows/ci.yml": _workflow(run), **files})
    (flow,), problems = collect_workflows(walk(tmp_path))
    assert problems == []
    show = lambda fs: [f"{f.source.path}:{f.source.line} {f.detail}" for f in fs]  # noqa: E731
    return show(flow.runs_tests), show(flow.test_unknowns)


GRADLE_GROOVY = "plugins {\n    id 'java'\n}\n\ndefaultTasks 'clean', 'build'\n"
GRADLE_KOTLIN = 'plugins {\n    java\n}\ndefaultTasks("spotlessApply", "assemble")\n'


def test_gradle_default_tasks_declarations() -> None:
    assert gradle_default_tasks(GRADLE_GROOVY) == (["clean", "build"], 5)
    assert gradle_default_tasks(GRADLE_KOTLIN) == (["spotlessApply", "assemble"], 4)
    assert gradle_default_tasks("// defaultTasks 'test'\nplugins { id 'java' }\n") is None


def test_bare_gradle_follows_default_tasks(tmp_path: Path) -> None:
    tests, _ = _ci(tmp_path / "g", "./gradlew --console plain",
                          {"build.gradle": GRADLE_GROOVY, "gradlew": "#!/bin/sh\n"})  # fmt: skip
    assert tests == [".github/workflows/ci.yml:8 ./gradlew --console plain: defaultTasks "
                     "clean build (build.gradle:5)"]  # fmt: skip
    # defaultTasks that build without checking, or none (Gradle runs help): no tests
    assert _ci(tmp_path / "k", "gradle", {"build.gradle.kts": GRADLE_KOTLIN}) == ([], [])
    assert _ci(tmp_path / "n", "gradle", {"build.gradle": "plugins { id 'java' }\n"}) == ([], [])
    assert classify(["gradle", "--version"]).kind == "no"


BUILD_XML = """\
<?xml version="1.0"?>
<project name="calc" default="dist" basedir=".">
  <target name="compile">
    <javac srcdir="src" destdir="build"/>
  </target>
  <target name="qa" depends="compile">
    <junitlauncher haltOnFailure="true">
      <testclasses outputdir="build/reports"><fileset dir="build/test"/></testclasses>
    </junitlauncher>
  </target>
  <target name="dist" depends="compile,qa">
    <jar destfile="calc.jar" basedir="build"/>
  </target>
  <target name="docs" depends="compile">
    <javadoc sourcepath="src" destdir="docs"/>
  </target>
</project>
"""


def test_ant_default_and_named_targets() -> None:
    found = ant_target(BUILD_XML, "", source="build.xml")
    assert (found.verdict, found.line) == ("test", 11)
    assert found.reason == "ant (default) runs <junitlauncher> in target qa"
    assert ant_target(BUILD_XML, "docs", source="build.xml").verdict == "no"
    no_default = '<project name="x"><target name="test"><echo/></target></project>'
    assert ant_target(no_default, "", source="build.xml").verdict == "no"
    assert ant_target("<project", "", source="build.xml").verdict == "unknown"


def test_bare_ant_in_ci(tmp_path: Path) -> None:
    tests, _ = _ci(tmp_path / "a", "ant -noinput", {"build.xml": BUILD_XML})
    assert tests == ["build.xml:11 ant (default) runs <junitlauncher> in target qa"]
    assert _ci(tmp_path / "d", "ant -f build.xml docs", {"build.xml": BUILD_XML}) == ([], [])
    # no build.xml: cannot tell
    unknowns = _ci(tmp_path / "m", "ant", {})[1]
    assert unknowns == [".github/workflows/ci.yml:8 ant: no build.xml found"]


TASKFILE = """\
version: '3'

tasks:
  default:
    deps: [lint]
    cmds:
      - task: build
      - go test -race ./...

  lint:
    cmds:
      - golangci-lint run

  build:
    cmds:
      - go build ./...
"""


def test_taskfile_default_task_commands_are_scanned(tmp_path: Path) -> None:
    found = taskfile_target(TASKFILE, "", source="Taskfile.yml")
    assert found.verdict == "scan" and found.line == 4
    assert [line for line, _ in found.commands] == [8, 12, 16]
    tests, _ = _ci(tmp_path / "t", "task", {"Taskfile.yml": TASKFILE})
    assert tests == ["Taskfile.yml:8 runs go test -race ./..."]
    # a named task is followed the same way; one without tests runs none
    assert _ci(tmp_path / "b", "task build", {"Taskfile.yml": TASKFILE}) == ([], [])
    # the default task calling a task named for testing
    calls = "version: '3'\ntasks:\n  default:\n    cmds:\n      - task: test\n  test: go test\n"
    found = taskfile_target(calls, "", source="Taskfile.yml")
    assert (found.verdict, found.line, found.reason) == ("test", 3, "task (default) runs task test")
    # no default task: task fails, nothing runs
    assert taskfile_target("version: '3'\ntasks:\n  x: echo\n", "", source="T").verdict == "no"
    assert classify(["task", "--list"]).kind == "no"


MAKEFILE = """\
GO ?= go

.PHONY: build lint unit
.DEFAULT_GOAL := unit

build:
\t$(GO) build ./...

unit:
\t$(GO) test ./...
"""


def test_bare_make_follows_default_goal_or_first_target(tmp_path: Path) -> None:
    assert make_default_goal(MAKEFILE) == "unit"
    tests, _ = _ci(tmp_path / "g", "make -j4", {"Makefile": MAKEFILE})
    assert tests == ["Makefile:10 runs go test ./..."]
    # without .DEFAULT_GOAL: the first target (build) runs, no tests; ``X ::= y`` is an
    # assignment, not the first target
    first = "GOTEST ::= go test\n" + MAKEFILE.replace(".DEFAULT_GOAL := unit\n", "")
    assert _ci(tmp_path / "f", "make", {"Makefile": first}) == ([], [])
    assert classify(["make", "--version"]).kind == "no"
    assert classify(["make", "-n", "test"]).kind == "no"


def test_bare_just_runs_the_first_recipe(tmp_path: Path) -> None:
    justfile = ('set shell := ["bash", "-c"]\nalias t := test\n\n[private]\ndefault: lint test\n'
                "\nlint:\n    cargo clippy\n\ntest:\n    cargo test\n")  # fmt: skip
    tests, _ = _ci(tmp_path, "just", {"justfile": justfile})
    assert tests == ["justfile:5 just (default) depends on lint test"]
    assert classify(["just", "--list"]).kind == "no"


@pytest.mark.parametrize("probe", ["tests_run_in_ci"])
def test_travis_bare_make_for_go_reaches_tests(tmp_path: Path, probe: str) -> None:
    # Travis's Go default script is make when a Makefile is there: the default goal decides
    write(tmp_path, {".travis.yml": "language: go\n", "Makefile": MAKEFILE})
    out = run_probe(probe, collect_facts(tmp_path))
    assert out.status.value == "pass"
    assert [(e.source, e.line) for e in out.evidence] == [("Makefile", 10)]


def test_build_file_named_by_option(tmp_path: Path) -> None:
    """``gradle -p sub`` reads ``sub``'s defaultTasks; ``ant -f ci/build.xml`` that file."""
    files = {"lib/build.gradle": GRADLE_GROOVY, "ci/build.xml": BUILD_XML}
    tests, _ = _ci(tmp_path / "g", "gradle -p lib", files)
    assert tests == [".github/workflows/ci.yml:8 gradle -p lib: defaultTasks clean build "
                     "(lib/build.gradle:5)"]  # fmt: skip
    tests, _ = _ci(tmp_path / "a", "ant -f ci/build.xml", files)
    assert tests == ["ci/build.xml:11 ant (default) runs <junitlauncher> in target qa"]
