"""Kinds the fifteenth blind round (held-out-15c: Apache Commons Email, Apache Commons
Validator, Maven Resources Plugin) showed, on small self-written fixtures.

- The evidence of ``tests_present`` left out a project's own tests when their Java package
  has a directory named like a fixture directory: Maven Resources Plugin's tests are in the
  package ``org.apache.maven.plugins.resources`` (``src/test/java/.../resources/``), and
  ``resources`` is the name of the test-input directory ``src/test/resources/``, so all nine
  were dropped and the one file shown was the test of an invoker sample project under
  ``src/it/``. Below a JVM source set's package root (``src/test/java/``) the directories are
  a package name now; ``src/test/resources/`` and the directories above a source set are
  still read.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

PLUGIN = {
    "pom.xml": "<project><artifactId>widget-maven-plugin</artifactId></project>\n",
    "src/main/java/org/example/resources/WidgetMojo.java": "public class WidgetMojo {}\n",
    "src/it/case-one/pom.xml": "<project><artifactId>sample</artifactId></project>\n",
    "src/it/case-one/src/test/java/foo/AppTest.java": "public class AppTest {}\n",
}


def _tests_present(root: Path) -> tuple[str, list[str]]:
    out = run_probe("tests_present", collect_facts(root))
    return out.status.value, [e.source for e in out.evidence]


def test_a_package_named_like_a_fixture_directory_holds_the_projects_own_tests(
    tmp_path: Path,
) -> None:
    write(tmp_path, {
        **PLUGIN,
        "src/test/java/org/example/resources/WidgetMojoTest.java": "class WidgetMojoTest {}\n",
        "src/test/kotlin/org/example/data/WidgetDataTest.kt": "class WidgetDataTest\n",
    })  # fmt: skip
    status, evidence = _tests_present(tmp_path)
    assert status == "pass"
    assert evidence[:2] == [
        "src/test/java/org/example/resources/WidgetMojoTest.java",
        "src/test/kotlin/org/example/data/WidgetDataTest.kt",
    ]


def test_a_test_named_file_among_test_resources_stays_a_fixture(tmp_path: Path) -> None:
    write(tmp_path, {
        **PLUGIN,
        "src/test/java/org/example/WidgetMojoTest.java": "class WidgetMojoTest {}\n",
        # a sample project the tests copy, and a test-named input above a source set
        "src/test/resources/unit/app/src/test/java/foo/SampleTest.java": "class SampleTest {}",
        "testdata/project/src/test/java/foo/InputTest.java": "class InputTest {}\n",
    })  # fmt: skip
    evidence = _tests_present(tmp_path)[1]
    assert "src/test/java/org/example/WidgetMojoTest.java" in evidence
    assert not any("SampleTest" in e or "InputTest" in e for e in evidence)
