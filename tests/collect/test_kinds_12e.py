"""Kinds the twelfth blind round (held-out-12e: Paho Java, Jakarta Activation, Jakarta
Messaging) showed, on small self-written fixtures.

- A file named like a test in a build's main source set (``demo/src/main/java/DCHTest.java``,
  a demo program with a main method) is not a test: Maven and Gradle keep tests under
  ``src/test``. "automated tests: found" was a false pass for an API without a test. A module
  that is a test suite itself (a TCK, ``integration-tests/``) still counts.
- A ``Signed-off-by:`` line written directly under the subject, without the blank line that
  makes it a git trailer, is a sign-off (the DCO app reads every line of the message): 13 of
  Jakarta Messaging's 33 signed-off commits (of 34) were missed, and
  ``contributor_agreement_enforced`` fell from practised to unknown. The review trailers
  (``Reviewed-by:``) are read the same way.
"""

from __future__ import annotations

import time
from pathlib import Path

from steward.collect.git import collect_git
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import commit, init, write

DAY = 86_400

API = {
    "pom.xml": "<project><artifactId>widget</artifactId><modules><module>api</module>"
    "<module>demo</module></modules></project>\n",
    "api/pom.xml": "<project><artifactId>widget-api</artifactId></project>\n",
    "api/src/main/java/org/example/Widget.java": "public class Widget {}\n",
}
DEMO = {
    "demo/pom.xml": "<project><artifactId>widget-demo</artifactId></project>\n",
    "demo/src/main/java/WidgetTest.java": "public class WidgetTest {\n"
    "    public static void main(String[] args) { System.out.println(new Widget()); }\n}\n",
    "demo/src/main/java/ViewerTest.java": "public class ViewerTest {}\n",
}


def _tests_present(root: Path) -> tuple[str, list[str]]:
    out = run_probe("tests_present", collect_facts(root))
    return out.status.value, [e.source for e in out.evidence]


def test_test_named_programs_in_a_main_source_set_are_not_tests(tmp_path: Path) -> None:
    write(tmp_path, {**API, **DEMO})
    assert _tests_present(tmp_path)[0] == "fail"


def test_a_test_package_in_a_main_source_set_is_not_a_test_directory(tmp_path: Path) -> None:
    # a library shipping test helpers to its users: src/main/java/org/example/test/
    helpers = {"api/src/main/java/org/example/test/WidgetAssertions.java": "class A {}\n"}
    write(tmp_path, {**API, **helpers})
    assert _tests_present(tmp_path)[0] == "fail"


def test_tests_in_the_test_source_set_still_count(tmp_path: Path) -> None:
    test = {"api/src/test/java/org/example/WidgetTest.java": "class WidgetTest {}\n"}
    write(tmp_path, {**API, **DEMO, **test})
    assert _tests_present(tmp_path) == ("pass", ["api/src/test/java/org/example/WidgetTest.java"])


def test_a_test_suite_module_keeps_its_tests_in_main(tmp_path: Path) -> None:
    # a TCK packages its tests as main code, to be run by a harness
    tck = {
        "widget-tck/pom.xml": "<project><artifactId>widget-tck</artifactId></project>\n",
        "widget-tck/src/main/java/org/example/tck/WidgetTests.java": "class WidgetTests {}\n",
    }
    write(tmp_path, {**API, **tck})
    assert _tests_present(tmp_path) == (
        "pass",
        ["widget-tck/src/main/java/org/example/tck/WidgetTests.java"],
    )


def test_sign_off_under_the_subject_without_a_blank_line_counts(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    now = int(time.time())
    commit(root, "Fix the parser\nSigned-off-by: Alice <alice@example.org>", {"a.txt": "1"},
           when=now - 3 * DAY)  # fmt: skip
    tidy_message = "Tidy\n\nSigned-off-by: Alice <alice@example.org>\n\nSee the issue."
    commit(root, tidy_message, {"a.txt": "2"}, when=now - 2 * DAY)
    commit(root, "Review\nReviewed-by: Bob <bob@example.org>", {"a.txt": "3"}, when=now - DAY)
    commit(root, "Mentions signed-off-by: in prose only", {"a.txt": "4"}, when=now)
    facts, problems = collect_git(root)
    assert problems == [] and facts is not None
    newest, review, tidy, fix = facts.commits
    assert fix.signed_off
    assert fix.subject == "Fix the parser Signed-off-by: Alice <alice@example.org>"
    assert tidy.signed_off and tidy.subject == "Tidy"
    assert review.reviewed and not review.signed_off
    assert not newest.signed_off and not newest.reviewed


def test_sign_offs_under_the_subject_make_the_agreement_practised(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    write(root, {"CONTRIBUTING.md": "# Contributing\n\n## Contributor Agreement\n\n"
                 "Commits must have a Signed-off-by field in the footer (DCO).\n"})  # fmt: skip
    now = int(time.time())
    for i in range(10):
        commit(root, f"Change {i}\nSigned-off-by: Alice <alice@example.org>", {"a.txt": str(i)},
               when=now - (10 - i) * DAY)  # fmt: skip
    assert run_probe("contributor_agreement_enforced", collect_facts(root)).status.value == "pass"
