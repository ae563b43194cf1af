"""Kinds the thirteenth blind round (held-out-13c: webmozarts/assert, Apache Commons Net,
Maven JAR Plugin) showed, on small self-written fixtures.

- The evidence of ``tests_present`` named the test files of sample projects ahead of the
  project's own: a Maven plugin's invoker integration tests are small projects under
  ``src/it/<case>/`` with their own ``src/test/java/.../AppTest.java``, which sort before
  ``src/test/``, so the three files shown were the samples' tests and never the plugin's
  ``JarMojoTest.java``. The project's own tests come first now; a sample's test is shown only
  when the project has none of its own (the tree still holds tests then, so the verdict is
  unchanged).
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import in_sample_project
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

PLUGIN = {
    "pom.xml": "<project><artifactId>widget-maven-plugin</artifactId></project>\n",
    "src/main/java/org/example/WidgetMojo.java": "public class WidgetMojo {}\n",
}
INVOKER_CASES = {
    f"src/it/case-{n}/{path}": text
    for n in ("one", "two", "three", "four")
    for path, text in (
        ("pom.xml", "<project><artifactId>sample</artifactId></project>\n"),
        ("src/test/java/foo/AppTest.java", "public class AppTest {}\n"),
        ("verify.groovy", "assert new File(basedir, 'target/sample.jar').exists()\n"),
    )
}
OWN_TEST = {"src/test/java/org/example/WidgetMojoTest.java": "class WidgetMojoTest {}\n"}


def _tests_present(root: Path) -> tuple[str, list[str]]:
    out = run_probe("tests_present", collect_facts(root))
    return out.status.value, [e.source for e in out.evidence]


def test_the_projects_own_tests_come_before_the_invoker_samples(tmp_path: Path) -> None:
    write(tmp_path, {**PLUGIN, **INVOKER_CASES, **OWN_TEST})
    status, evidence = _tests_present(tmp_path)
    assert status == "pass"
    assert evidence[0] == "src/test/java/org/example/WidgetMojoTest.java"
    assert len(evidence) == 3  # the samples fill the rest, after the project's own


def test_an_examples_test_comes_after_the_projects_own(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.org/widget\n\ngo 1.22\n",
        "widget.go": "package widget\n",
        "examples/basic/basic_test.go": "package main\n",
        "examples/advanced/advanced_test.go": "package main\n",
        "examples/demo/demo_test.go": "package main\n",
        "widget_test.go": "package widget\n",
    }
    write(tmp_path, files)
    assert _tests_present(tmp_path)[1][0] == "widget_test.go"


def test_a_samples_tests_are_still_tests_when_the_project_has_none(tmp_path: Path) -> None:
    write(tmp_path, {**PLUGIN, **INVOKER_CASES})
    status, evidence = _tests_present(tmp_path)
    assert status == "pass"
    assert evidence and all(e.startswith("src/it/") for e in evidence)


def test_a_package_named_example_is_not_a_sample_project() -> None:
    # below a source set the directories are a Java/Kotlin package, org.example.demo
    assert not in_sample_project("src/test/java/org/example/demo/WidgetTest.java")
    assert not in_sample_project("core/src/test/kotlin/com/example/WidgetTest.kt")
    assert in_sample_project("src/it/MJAR-1/src/test/java/foo/AppTest.java")
    assert in_sample_project("examples/basic/basic_test.go")
