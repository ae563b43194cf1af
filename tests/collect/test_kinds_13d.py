"""Kinds the thirteenth blind round (held-out-13d: Jakarta Interceptors, Jakarta Standard Tag
Library, go-colorable) showed, on small self-written fixtures.

- A Maven aggregator POM that declares no ``<issueManagement>`` leaves the tracker to the
  module it publishes (``api/pom.xml``): "how to report bugs: not found" was a false level-1
  fail.
- Jenkins pipeline scripts kept beside or instead of the root ``Jenkinsfile``
  (``etc/jenkins/Jenkinsfile_master_build``, ``ci/build.jenkinsfile``, a pipeline
  ``.groovy`` under ``jenkins/``) are CI: "continuous integration: not found" was a false
  fail, and the CI probes that depend on it answered fail / not-applicable instead of unknown.
- A specification directory named ``spec/`` that keeps its own ``LICENSE`` (no extension) is
  still documents only, not RSpec's tests.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

ROOT_POM = """<project>
  <artifactId>widget-parent</artifactId>
  <packaging>pom</packaging>
  <modules>
    <module>api</module>
  </modules>
</project>
"""
API_POM = """<project>
  <artifactId>widget-api</artifactId>
  <scm>
    <url>https://example.org/widget</url>
  </scm>
  <issueManagement>
    <system>github</system>
    <url>https://example.org/widget/issues</url>
  </issueManagement>
</project>
"""
API = {"api/src/main/java/org/example/Widget.java": "public @interface Widget {}\n"}
PIPELINE = """pipeline {
    agent any
    stages {
        stage('build') {
            steps {
                sh 'mvn -B clean install'
            }
        }
    }
}
"""


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


def test_a_module_pom_declares_the_tracker_when_the_root_pom_does_not(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "# Widget\n", "pom.xml": ROOT_POM, "api/pom.xml": API_POM, **API})
    assert _outcome(tmp_path, "bug_reporting_documented") == ("pass", ["api/pom.xml:8"])


def test_the_root_pom_tracker_comes_first(tmp_path: Path) -> None:
    root = ROOT_POM.replace(
        "</modules>\n",
        "</modules>\n  <issueManagement>\n    <url>https://example.org/root/issues</url>\n"
        "  </issueManagement>\n",
    )
    write(tmp_path, {"README.md": "# Widget\n", "pom.xml": root, "api/pom.xml": API_POM, **API})
    assert _outcome(tmp_path, "bug_reporting_documented") == ("pass", ["pom.xml:8"])


def test_jenkins_pipelines_outside_the_root_are_ci(tmp_path: Path) -> None:
    write(tmp_path, {
        "pom.xml": ROOT_POM, "api/pom.xml": API_POM, **API,
        "etc/jenkins/Jenkinsfile_master_build": PIPELINE,
        "etc/jenkins/README": "Folder containing all Jenkins scripts.\n",
        "ci/release.jenkinsfile": PIPELINE,
        "jenkins/nightly.groovy": "node {\n    sh 'mvn -B verify'\n}\n",
        # a shared library's step is no pipeline of its own
        "jenkins/vars/mavenBuild.groovy": "def call() {\n    sh 'mvn -B verify'\n}\n",
    })  # fmt: skip
    status, evidence = _outcome(tmp_path, "ci_present")
    assert status == "pass"
    assert evidence == ["ci/release.jenkinsfile", "etc/jenkins/Jenkinsfile_master_build",
                        "jenkins/nightly.groovy"]  # fmt: skip
    facts = collect_facts(tmp_path)
    # what Jenkins runs is not read: the CI probes cannot tell, and say which files
    for name in ("sast_configured", "sca_configured", "dependencies_pinned"):
        out = run_probe(name, facts)
        assert out.status.value == "unknown", name
        assert "CI configured in Jenkins (ci/release.jenkinsfile, etc/jenkins/" in out.message
        assert "which Steward does not read" in out.message
    # an API without tests: no CI runs the project's tests
    assert run_probe("tests_run_in_ci", facts).status.value == "fail"


def test_switched_off_and_fixture_jenkinsfiles_are_not_ci(tmp_path: Path) -> None:
    write(tmp_path, {
        "pom.xml": ROOT_POM, "api/pom.xml": API_POM, **API,
        "Jenkinsfile.disable": PIPELINE, "jenkins/Jenkinsfile.old": PIPELINE,
        "src/test/resources/fixtures/Jenkinsfile": PIPELINE,
    })  # fmt: skip
    assert _outcome(tmp_path, "ci_present")[0] == "fail"


def test_a_specification_directory_with_its_own_licence_is_not_tests(tmp_path: Path) -> None:
    write(tmp_path, {
        "pom.xml": ROOT_POM, "api/pom.xml": API_POM, **API,
        "spec/LICENSE": "Eclipse Public License - v 2.0\n",
        "spec/README.md": "Widget Specification\n====================\n",
        "spec/pom.xml": "<project><artifactId>widget-spec</artifactId></project>\n",
        "spec/src/main/asciidoc/widget-spec.adoc": "= Widget Specification\n",
        "spec/src/theme/widget-theme.yml": "base:\n  font_size: 10\n",
    })  # fmt: skip
    assert _outcome(tmp_path, "tests_present")[0] == "fail"


def test_a_spec_directory_with_extensionless_test_data_still_holds_tests(tmp_path: Path) -> None:
    write(tmp_path, {**API, "spec/LICENSE": "MIT\n", "spec/widget_input": "a b c\n"})
    assert _outcome(tmp_path, "tests_present") == ("pass", ["spec/"])
