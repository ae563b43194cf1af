"""Kinds the eleventh blind round (held-out-11e: Jakarta Annotations, Eclipse Expressly and
Paho Embedded C) showed, on small self-written fixtures.

- A ``spec/`` directory that holds a specification's documents (asciidoc chapters, figures,
  the POM that renders them) is not RSpec's or busted's tests: "automated tests: found" was
  a false pass for an API of annotations without a single test.
- With no tests in the tree, CI that Steward cannot read (or steps it cannot follow) runs
  none of the project's tests: ``tests_run_in_ci`` fails beside ``tests_present`` instead of
  asking for an attestation.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

API = {
    "api/pom.xml": "<project><artifactId>widget-api</artifactId></project>\n",
    "api/src/main/java/org/example/Widget.java": "public @interface Widget {}\n",
}
SPEC = {
    "spec/README.md": "Widget Specification\n====================\n",
    "spec/pom.xml": "<project><artifactId>widget-spec</artifactId></project>\n",
    "spec/assembly.xml": "<assembly/>\n",
    "spec/src/main/asciidoc/widget-spec.adoc": "= Widget Specification\n\n== Scope\n",
    "spec/src/main/asciidoc/images/figure-1.png": b"\x89PNG\r\n\x1a\n\x00\x00",
    "spec/src/main/theme/widget-theme.yml": "base:\n  font_size: 10\n",
}


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


def test_a_specification_directory_is_not_tests(tmp_path: Path) -> None:
    write(tmp_path, {**API, **SPEC})
    assert _outcome(tmp_path, "tests_present")[0] == "fail"


def test_a_spec_directory_with_code_still_holds_tests(tmp_path: Path) -> None:
    # RSpec's and busted's spec/ directories: code files (their names need not say "spec")
    write(tmp_path, {**API, "spec/helper.rb": "require 'widget'\n", "spec/widget.md": "# w\n"})
    assert _outcome(tmp_path, "tests_present") == ("pass", ["spec/"])


def test_no_tests_behind_unread_ci_is_a_fail(tmp_path: Path) -> None:
    write(tmp_path, {**API, **SPEC, "Jenkinsfile": "pipeline { stages { stage('b') {\n"
                     "  steps { sh 'mvn -f api/pom.xml verify' } } } }\n"})  # fmt: skip
    status, evidence = _outcome(tmp_path, "tests_run_in_ci")
    assert status == "fail"
    assert evidence == ["Jenkinsfile"]


def test_tests_behind_unread_ci_stay_unknown(tmp_path: Path) -> None:
    test = {"api/src/test/java/org/example/WidgetTest.java": "class WidgetTest {}\n"}
    write(tmp_path, {**API, **test, "Jenkinsfile": "pipeline { stages { stage('b') {\n"
                     "  steps { sh 'mvn verify' } } } }\n"})  # fmt: skip
    assert _outcome(tmp_path, "tests_run_in_ci")[0] == "unknown"


MODULE_POM = """<project>
  <artifactId>widget-api</artifactId>
  <issueManagement>
    <system>github</system>
    <url>https://github.com/example/widget/issues</url>
  </issueManagement>
</project>
"""


def test_sibling_modules_without_a_root_pom_declare_the_tracker_and_the_build(
    tmp_path: Path,
) -> None:
    # api/ and docs/ modules, no aggregating POM at the root (Jakarta Annotations' layout)
    write(tmp_path, {"README.md": "# Widget\n\nAnnotations for widgets.\n",
                     "api/pom.xml": MODULE_POM, "api/src/main/java/W.java": "class W {}\n",
                     "manual/pom.xml": "<project><artifactId>m</artifactId></project>\n",
                     "manual/README.md": "Widget manual\n=============\n\nBuilding\n--------\n\n"
                                         "`mvn install`\n"})  # fmt: skip
    assert _outcome(tmp_path, "bug_reporting_documented") == ("pass", ["api/pom.xml:5"])
    status, evidence = _outcome(tmp_path, "build_instructions_documented")
    assert status == "pass"
    assert evidence == ["manual/README.md:4", "api/pom.xml", "manual/pom.xml"]


def test_a_root_pom_is_the_only_build_file_read(tmp_path: Path) -> None:
    # with an aggregator at the root, a module's own build file is not added; its tracker
    # is, when the aggregator declares none (held-out-13d, Jakarta Interceptors)
    write(tmp_path, {"pom.xml": "<project><modules><module>api</module></modules></project>\n",
                     "api/pom.xml": MODULE_POM})  # fmt: skip
    assert _outcome(tmp_path, "bug_reporting_documented") == ("pass", ["api/pom.xml:5"])
    assert _outcome(tmp_path, "build_instructions_documented") == ("pass", ["pom.xml"])


def test_the_api_specification_a_project_implements_is_its_user_documentation(
    tmp_path: Path,
) -> None:
    readme = ("# Widget EL\n\nWidget EL implements [Jakarta Widget Language]"
              "(https://jakarta.ee/specifications/widget-language/2.0/), for Java.\n\n"
              "Building\n--------\n\n`mvn package`\n")  # fmt: skip
    write(tmp_path, {"README.md": readme, "pom.xml": "<project/>\n"})
    assert _outcome(tmp_path, "user_documentation_present") == ("pass", ["README.md:3"])


def test_implementing_a_protocol_or_format_specification_is_no_user_documentation() -> None:
    from steward.collect.readmeuse import specification_links

    # an RFC or a W3C standard the library implements documents the protocol, not its API
    # (main's rule); only an API specification (Jakarta EE, a PSR) counts when implemented
    for text in (
        "Widget implements [RFC 9999](https://www.rfc-editor.org/rfc/rfc9999).\n",
        "Widget implements [Widget Markup](https://www.w3.org/TR/widget-markup/).\n",
        "Widget links [the PSR](https://www.php-fig.org/psr/psr-99/) for reference.\n",
    ):
        assert specification_links("README.md", text) == [], text
    text = "Widget implements the [PSR-99 cache](https://www.php-fig.org/psr/psr-99/).\n"
    assert [(f.source.line, f.detail) for f in specification_links("README.md", text)] == [
        (1, "specification link 'PSR-99 cache'")
    ]
