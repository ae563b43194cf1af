"""Kinds the seventh blind round (JVM projects: an Apache Commons component, an Eclipse EE4J
implementation, a Scala module built with sbt) showed, each with a small self-written fixture:
a README title taken for a usage section, Javadoc overview pages, verification sentences in
HTML/xdoc paragraphs, a "Maintenance status" that says nothing of versions, governance said in
the README or contribution guide, sbt/Mill/Leiningen/Clojure manifests, container images of
other CI systems and CLA checkers named after the agreement."""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.deps import collect_dependencies
from steward.collect.facts import Dependencies, Finding, Workflow
from steward.collect.tree import walk
from steward.evaluate.probes import run_probe
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write
from tests.evaluate.probes.factsbuilder import make_facts


def _deps(root: Path, files: dict[str, str | bytes]) -> Dependencies:
    write(root, files)
    return collect_dependencies(walk(root))


def _workflows(root: Path, files: dict[str, str | bytes]) -> dict[str, Workflow]:
    write(root, files)
    workflows, problems = collect_workflows(walk(root))
    assert problems == []
    return {str(w.source.path): w for w in workflows}


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_readme_title_naming_the_project_is_no_usage_section(tmp_path: Path) -> None:
    readme = (
        "Example Commons CLI\n===================\n\nParses options.\n\n"
        "Documentation\n---\n\nSee the site.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme})
    assert _at(docs.user_docs) == ["README.md:6"]  # not the title at line 1
    # a documentation badge in the title still counts, as does a title-less "# Usage"
    badge = "# Widget [![Docs](https://img.example/docs.svg)](https://docs.example/)\n\nText.\n"
    assert set(_at(_docs(tmp_path / "b", {"README.md": badge}).user_docs)) == {"README.md:1"}
    later = "Intro line.\n\n## CLI reference\n\nRun `widget --help`.\n"
    assert _at(_docs(tmp_path / "c", {"README.md": later}).user_docs) == ["README.md:3"]


def test_javadoc_overview_is_user_documentation(tmp_path: Path) -> None:
    overview = "<html><body><p>The streaming API parses JSON event by event.</p></body></html>\n"
    docs = _docs(
        tmp_path,
        {"README.md": "# Parser\n\n## Build\n\nmvn install\n",
         "api/src/main/javadoc/overview.html": overview},
    )  # fmt: skip
    assert "api/src/main/javadoc/overview.html" in {f.source.path for f in docs.user_docs}
    # another overview.html (a test resource, a site page) is not the Javadoc front page
    other = _docs(tmp_path / "o", {"README.md": "# X\n", "src/test/resources/overview.html": "x"})
    assert other.user_docs == ()


def test_verification_in_html_paragraphs_of_a_page_without_blank_lines(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0"?>\n<document>\n<body>\n<section name="Download">\n'
        '<subsection name="Mirrors">\n'
        "  <p>\n"
        "    Use a mirror to download our release\n"
        '    builds, but you <strong>must</strong> <a href="https://x.example/v">verify the'
        " integrity</a> of\n"
        "    the downloaded files using signatures from our main site.\n"
        "  </p>\n"
        "  <p>\n"
        "    Mirrors may lag by a day. Pick another one if this one fails.\n"
        "  </p>\n"
        "  <p>It is essential that you\n"
        '    <a href="https://x.example/v">verify the integrity</a>\n'
        "    of downloaded files, preferably using the <code>PGP</code> signature.\n"
        "  </p>\n"
        "</subsection>\n</section>\n</body>\n</document>\n"
    )
    docs = _docs(tmp_path, {"README.md": "# X\n", "src/site/xdoc/download_x.xml": page})
    assert _at(docs.release_verification) == [
        "src/site/xdoc/download_x.xml:8",
        "src/site/xdoc/download_x.xml:15",
    ]
    # a verify word alone in a paragraph is not enough
    lone = page.replace("signatures from", "files from").replace("PGP</code> signature", "x")
    lone_docs = _docs(tmp_path / "l", {"README.md": "# X\n", "src/site/xdoc/download_x.xml": lone})
    assert lone_docs.release_verification == ()


def test_maintenance_status_is_a_support_policy_only_with_versions(tmp_path: Path) -> None:
    community = "# X\n\n## Maintenance status\n\nThis library is community-maintained.\n"
    assert _docs(tmp_path / "a", {"README.md": community}).support_policy == ()
    versions = "# X\n\n## Maintenance status\n\nOnly the 2.x series receives fixes.\n"
    assert _at(_docs(tmp_path / "b", {"README.md": versions}).support_policy) == ["README.md:3"]
    policy = "# X\n\n## Support policy\n\nAsk on the forum.\n"  # a policy heading is taken as is
    assert _at(_docs(tmp_path / "c", {"README.md": policy}).support_policy) == ["README.md:3"]


def test_governance_said_in_the_readme_or_contribution_guide(tmp_path: Path) -> None:
    guide = (
        "# Contributing\n\n## Example Development Process\n\n"
        "This Example Foundation open project is governed by the Example Foundation\n"
        "Development Process and operates under the Example IP Policy.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": "# X\n", "CONTRIBUTING.md": guide})
    assert _at(docs.governance) == ["CONTRIBUTING.md:5"]
    rights = "# X\n\n## Status\n\nMaintainers with merge rights include @ana and @bo.\n"
    assert _at(_docs(tmp_path / "b", {"README.md": rights}).governance) == ["README.md:5"]
    heading = "# X\n\n## Governance\n\nDecisions are taken by lazy consensus.\n"
    assert _at(_docs(tmp_path / "c", {"README.md": heading}).governance) == ["README.md:3"]
    # a licence or a code of conduct that "governs" is no governance
    licence = (
        "# X\n\nUse of this code is governed by a BSD-style license.\n\n"
        "This project is governed by the Contributor Covenant code of conduct.\n\n"
        "Maintainers are volunteers; be patient.\n"
    )
    assert _docs(tmp_path / "d", {"README.md": licence}).governance == ()
    # the contribution template's "Our Development Process" is about branches and reviews
    process = "# Contributing\n\n## Our Development Process\n\nWe use GitHub pull requests.\n"
    assert (
        _docs(tmp_path / "e", {"README.md": "# X\n", "CONTRIBUTING.md": process}).governance == ()
    )


def test_sbt_and_other_jvm_builds_are_manifests_pinned_by_exact_versions(tmp_path: Path) -> None:
    sbt = 'libraryDependencies += "junit" % "junit" % "4.13.2" % Test\n'
    plugins = 'addSbtPlugin("org.example" % "sbt-example" % "3.4.0")\n'
    d = _deps(tmp_path / "a", {"build.sbt": sbt, "project/plugins.sbt": plugins})
    assert {f.source.path for f in d.manifests} == {"build.sbt"}
    assert d.unlocked_manifests == ()
    # a dynamic version, in the build or in its plugin definitions, needs build.sbt.lock
    dynamic = {"build.sbt": sbt, "project/plugins.sbt": plugins.replace("3.4.0", "3.+")}
    assert {f.source.path for f in _deps(tmp_path / "b", dynamic).unlocked_manifests} == {
        "build.sbt"
    }
    locked = _deps(tmp_path / "c", {**dynamic, "build.sbt.lock": "{}\n"})
    assert locked.unlocked_manifests == ()
    latest = {"build.sbt": 'libraryDependencies += "a" %% "b" % "latest.integration"\n'}
    assert _deps(tmp_path / "d", latest).unlocked_manifests != ()
    # Mill, Leiningen and the Clojure CLI likewise
    others = {
        "build.mill": 'def ivyDeps = Agg(ivy"com.lihaoyi::os-lib:0.11.4")\n',
        "lein/project.clj": '(defproject x "1" :dependencies [[org.clojure/clojure "1.12.0"]])\n',
        "cli/deps.edn": '{:deps {org.clojure/data.json {:mvn/version "RELEASE"}}}\n',
    }
    d = _deps(tmp_path / "e", others)
    assert {f.source.path for f in d.manifests} == set(others)
    assert {f.source.path for f in d.unlocked_manifests} == {"cli/deps.edn"}
    # an sbt build of an example is not the project's
    assert _deps(tmp_path / "f", {"examples/demo/build.sbt": sbt}).manifests == ()


CIRCLECI = """\
version: 2.1
executors:
  jdk8:
    docker:
      - image: cimg/openjdk:8.0-node
  pinned:
    docker:
      - image: cimg/base@sha256:{digest}
jobs:
  vm:
    machine:
      image: ubuntu-2204:current
    steps: [checkout]
  db:
    docker:
      - image: cimg/openjdk:17.0
      - image:
          name: postgres:16
    steps: [checkout]
""".replace("{digest}", "a" * 64)


def test_container_images_of_other_ci_systems(tmp_path: Path) -> None:
    flows = _workflows(tmp_path, {".circleci/config.yml": CIRCLECI})
    circle = flows[".circleci/config.yml"]
    assert circle.system == "CircleCI"
    # the machine image is a virtual machine, not a container
    assert [f"{f.source.line} {f.detail}" for f in circle.images] == [
        "5 container image cimg/openjdk:8.0-node",
        f"8 container image cimg/base@sha256:{'a' * 64}",
        "16 container image cimg/openjdk:17.0",
        "18 container image postgres:16",
    ]
    assert [f.source.line for f in circle.unpinned_images] == [5, 16, 18]
    facts = make_facts(workflows=tuple(flows.values()))
    outcome = run_probe("containers_pinned_by_digest", facts)
    assert outcome.status.value == "fail"
    assert [e.line for e in outcome.evidence] == [5, 16, 18]
    # Drone pipeline steps; a file that does not parse yields no images and no problem
    drone = "kind: pipeline\nsteps:\n  - name: test\n    image: maven:3-eclipse-temurin-21\n"
    flows = _workflows(tmp_path / "d", {".drone.yml": drone, "bitbucket-pipelines.yml": "a: [b\n"})
    assert [f.source.line for f in flows[".drone.yml"].unpinned_images] == [4]
    assert flows["bitbucket-pipelines.yml"].images == ()
    # AppVeyor's image is the build VM, not a container
    appveyor = _workflows(tmp_path / "v", {"appveyor.yml": "image: Visual Studio 2022\n"})
    assert appveyor["appveyor.yml"].images == ()


def test_cla_checkers_named_after_the_agreement(tmp_path: Path) -> None:
    sha = "11bd71901bbe5b1630ceea73d27597364c9af683"
    flow = (
        "on: pull_request\njobs:\n  cla:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: example-lang/cla-checker@v1\n"
        f"      - uses: example/clang-format-action@{sha}\n"
        f"      - uses: example/check-dco@{sha}\n"
    )
    w = _workflows(tmp_path, {".github/workflows/cla.yml": flow})[".github/workflows/cla.yml"]
    assert [f"{f.source.line} {f.detail}" for f in w.contributor_checks] == [
        "6 uses example-lang/cla-checker@v1",
        f"8 uses example/check-dco@{sha}",
    ]


def test_sbt_mill_and_clojure_test_runs() -> None:
    from steward.collect.commands import test_run

    def kind(command: str) -> str:
        return test_run(command.split()).kind

    # cross-build prefixes, scopes and testOnly are test runs; compile/publish are not
    for command in ("sbt +test", "sbt xml/test", "sbt -v core/Test/testOnly", "sbt ;clean;test",
                    "./mill -i __.test", "mill core[2.13].test", "clojure -X:test",
                    "clojure -M:test:runner", "scala-cli test ."):  # fmt: skip
        assert kind(command) == "test", command
    for command in ("sbt +Test/compile", "sbt publishSigned", "sbt scalafmtCheckAll headerCheck",
                    "./mill __.compile", "clojure -M:lint"):  # fmt: skip
        assert kind(command) == "no", command
    assert test_run(["sbt", "ci"]).kind == "sbt"  # perhaps a command alias of the build
    # Kotlin Multiplatform's allTests runs the tests; a task left out with -x is not run
    assert kind("./gradlew allTests") == "test"
    assert kind("./gradlew assemble -x jvmTest") == "no"


def test_sbt_command_aliases_are_followed(tmp_path: Path) -> None:
    build = (
        'name := "x"\n'
        'addCommandAlias("ci", "; clean; +test; mimaReportBinaryIssues")\n'
        'addCommandAlias("fmt", "scalafmtAll")\n'
        'addCommandAlias("odd", List("a", "b").mkString(";"))\n'
    )
    flow = (
        "on: push\njobs:\n  {job}:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: sbt {task}\n"
    )
    cases = {"ci": ["build.sbt:2"], "fmt": [], "odd": [], "undefined": []}
    for task, tests in cases.items():
        files = {"build.sbt": build,
                 ".github/workflows/ci.yml": flow.format(job="b", task=task)}  # fmt: skip
        w = _workflows(tmp_path / task, files)[".github/workflows/ci.yml"]
        assert _at(w.runs_tests) == tests, task
        unknowns = _at(w.test_unknowns)
        assert unknowns == (["build.sbt:4"] if task == "odd" else []), task


def test_scala_steward_is_a_dependency_update_tool(tmp_path: Path) -> None:
    d = _deps(tmp_path / "a", {".scala-steward.conf": "updates.pin = []\n", "build.sbt": ""})
    assert [f.source.path for f in d.update_tools] == [".scala-steward.conf"]
    flow = (
        "on: {schedule: [{cron: '0 0 * * 0'}]}\njobs:\n  s:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: scala-steward-org/scala-steward-action@v2\n"
    )
    flows = _workflows(tmp_path / "b", {".github/workflows/steward.yml": flow})
    facts = make_facts(workflows=tuple(flows.values()))
    outcome = run_probe("dependency_update_tool_configured", facts)
    assert outcome.status.value == "pass"
    assert [e.line for e in outcome.evidence] == [6]


POM = """\
<project>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <artifactId>maven-checkstyle-plugin</artifactId>
          <executions><execution><goals><goal>check</goal></goals></execution></executions>
        </plugin>
      </plugins>
    </pluginManagement>
    <plugins>
      <plugin>
        <groupId>com.github.spotbugs</groupId>
        <artifactId>spotbugs-maven-plugin</artifactId>
        <executions><execution><goals><goal>check</goal></goals></execution></executions>
      </plugin>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <configuration><compilerArgs><arg>-Xplugin:ErrorProne</arg></compilerArgs></configuration>
      </plugin>
    </plugins>
  </build>
  <reporting><plugins><plugin><artifactId>maven-pmd-plugin</artifactId></plugin></plugins></reporting>
</project>
"""


def test_analysers_bound_in_the_maven_build(tmp_path: Path) -> None:
    def sast(command: str, pom: str = POM) -> list[str]:
        flow = f"on: push\njobs:\n  b:\n    runs-on: ubuntu\n    steps:\n      - run: {command}\n"
        root = tmp_path / str(abs(hash((command, pom))))
        w = _workflows(root, {"pom.xml": pom, ".github/workflows/ci.yml": flow})
        return [f.detail for f in w[".github/workflows/ci.yml"].sast]

    # verify reaches SpotBugs' check (bound at verify by default) and Error Prone (compile);
    # Checkstyle only in pluginManagement and PMD only in reporting do not run
    assert sast("mvn -B verify") == [
        "mvn verify runs SpotBugs (bound in pom.xml:14)",
        "mvn verify runs Error Prone (bound in pom.xml:19)",
    ]
    assert sast("./mvnw -B compile") == ["mvn compile runs Error Prone (bound in pom.xml:19)"]
    # a skipped analyser is not run, and naming it in an option is not running it
    assert sast("mvn -B verify -Dspotbugs.skip=true") == [
        "mvn verify runs Error Prone (bound in pom.xml:19)"
    ]
    assert sast("mvn -B spotbugs:check", "<project/>") == ["runs mvn -B spotbugs:check"]
    assert sast("./gradlew build -x checkstyleMain", "<project/>") == []
    without_executions = POM.replace(
        "<executions><execution><goals><goal>check</goal></goals></execution></executions>", ""
    ).replace("-Xplugin:ErrorProne", "-Xlint")
    assert sast("mvn -B install", without_executions) == []


def test_maven_changes_file_is_a_changelog(tmp_path: Path) -> None:
    changes = (
        "<document><body>\n"
        '<release version="1.2.0" date="2026-01-01"><action type="fix">Fix x.</action></release>\n'
        "</body></document>\n"
    )
    docs = _docs(tmp_path, {"README.md": "# X\n", "src/changes/changes.xml": changes})
    assert [f.source.path for f in docs.changelog] == ["src/changes/changes.xml"]
    assert "1.2.0" in docs.changelog_versions


def test_readme_symlinked_to_a_documentation_page(tmp_path: Path) -> None:
    import os

    from steward.collect.tree import walk as walk_tree

    root = tmp_path / "repo"
    write(root, {"docs/index.md": "# cats-like\n\n## Tutorial\n\nParse things.\n"})
    os.symlink("docs/index.md", root / "README.md")
    outside = tmp_path / "secret.txt"
    outside.write_text("not ours\n")
    os.symlink(outside, root / "LICENSE")
    tree = walk_tree(root)
    # a second name of a file of the tree: found by name and read; a link out is neither
    assert tree.find("README.md") == "README.md"
    assert tree.read("README.md").text == "# cats-like\n\n## Tutorial\n\nParse things.\n"
    assert tree.find("LICENSE") is None
    assert tree.read("LICENSE").text is None
    assert "README.md" not in tree.files  # not counted or scanned twice
    docs = _docs(root, {})
    assert [f.source.path for f in docs.readme] == ["README.md"]
    assert "README.md:3" in _at(docs.user_docs)


def test_a_build_modules_documentation_directory(tmp_path: Path) -> None:
    spec = {"README.adoc": "= Config\n\n== Rationale\n\nWhy.\n",
            "spec/src/main/asciidoc/configexamples.asciidoc": "= Examples\n"}  # fmt: skip
    docs = _docs(tmp_path / "a", spec)
    assert [f.source.path for f in docs.user_docs] == ["spec/src/main/asciidoc/"]
    # not a test fixture's, nor deeper than one module level
    other = {"README.adoc": "= Config\n",
             "src/test/resources/x/src/site/index.md": "# x\n",
             "examples/src/site/index.md": "# x\n",
             "a/b/src/site/index.md": "# x\n"}  # fmt: skip
    assert _docs(tmp_path / "b", other).user_docs == ()
