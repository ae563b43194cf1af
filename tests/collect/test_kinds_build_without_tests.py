"""A Maven or Gradle build in CI (``mvn -B package``, ``gradle build``) runs the tests only as
a phase of the build: in a tree that holds no tests it runs none, and ``tests_run_in_ci``
fails beside ``tests_present`` (Jakarta Servlet's API project, held-out-15e, was a false pass).
A command named for the tests, or a build in a tree with tests, still passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

POM = "<project><artifactId>widget-api</artifactId><packaging>jar</packaging></project>\n"
SOURCE = {"api/src/main/java/org/example/Widget.java": "public interface Widget {}\n"}


def _workflow(run: str) -> str:
    return (
        "name: build\non: [push]\npermissions:\n  contents: read\njobs:\n  build:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        f"      - run: {run}\n"
    )


def _status(root: Path) -> str:
    return run_probe("tests_run_in_ci", collect_facts(root)).status.value


@pytest.mark.parametrize("run", ["mvn -B package --file pom.xml", "./gradlew build"])
def test_a_build_in_a_tree_without_tests_runs_none(tmp_path: Path, run: str) -> None:
    write(tmp_path, {"pom.xml": POM, **SOURCE, ".github/workflows/build.yml": _workflow(run)})
    assert _status(tmp_path) == "fail"


def test_a_build_in_a_tree_with_tests_runs_them(tmp_path: Path) -> None:
    test = {"api/src/test/java/org/example/WidgetTest.java": "class WidgetTest {}\n"}
    workflow = _workflow("mvn -B package")
    write(tmp_path, {"pom.xml": POM, **SOURCE, **test, ".github/workflows/build.yml": workflow})
    assert _status(tmp_path) == "pass"


def test_a_command_named_for_the_tests_is_taken_at_its_word(tmp_path: Path) -> None:
    workflow = _workflow("mvn test")
    write(tmp_path, {"pom.xml": POM, **SOURCE, ".github/workflows/build.yml": workflow})
    assert _status(tmp_path) == "pass"
