"""Travis CI and Cirrus CI are read like the other CI systems (issue 9, items 5 and 11):
their commands give test runs, static analysis, dependency scanning and unpinned installs at
their own lines; Travis's default script of a language counts when no ``script:`` is given;
Cirrus's repeated ``task:`` keys and merged anchors are all read. Small self-written
fixtures."""

from __future__ import annotations

from pathlib import Path

from steward.collect import collect_facts
from steward.collect.ci import collect_workflows
from steward.collect.tree import walk
from steward.evaluate.probes.base import run_probe
from tests.collect.gitrepo import write

TRAVIS = """\
language: python
python:
  - "3.12"
env:
  global:
    - TOX_ENV=py312
install:
  - pip install tox
  - pip install -r requirements.txt
script:
  - echo "starting"
  - tox -e $TOX_ENV
jobs:
  include:
    - name: lint
      install: pip install bandit==1.8.0
      script:
        - bandit -r src
    - name: audit
      script: pip-audit -r requirements.txt
"""


def _by(path: Path, files: dict[str, str]) -> dict[str, object]:
    write(path, files)
    workflows, problems = collect_workflows(walk(path))
    assert problems == []
    return {w.source.path or "": w for w in workflows}


def _at(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


def test_travis_phases_and_included_jobs_at_their_lines(tmp_path: Path) -> None:
    flows = _by(tmp_path, {".travis.yml": TRAVIS, "requirements.txt": "requests==2.32.3\n"})
    travis = flows[".travis.yml"]
    assert travis.system == "Travis CI"  # type: ignore[attr-defined]
    assert _at(travis.runs_tests) == [".travis.yml:12"]  # type: ignore[attr-defined]
    assert _at(travis.sast) == [".travis.yml:18"]  # type: ignore[attr-defined]
    assert _at(travis.sca) == [".travis.yml:20"]  # type: ignore[attr-defined]
    # pip install tox without a version; bandit==1.8.0 and -r requirements.txt are pinned
    assert _at(travis.unpinned_installs) == [".travis.yml:8"]  # type: ignore[attr-defined]


def test_travis_only_project_verdicts(tmp_path: Path) -> None:
    write(tmp_path, {".travis.yml": TRAVIS, "requirements.txt": "requests==2.32.3\n"})
    facts = collect_facts(tmp_path)
    for name, line in (("tests_run_in_ci", 12), ("sast_configured", 18), ("sca_configured", 20)):
        out = run_probe(name, facts)
        assert out.status.value == "pass", (name, out.message)
        assert [(e.source, e.line) for e in out.evidence] == [(".travis.yml", line)]


def test_travis_analysis_addons(tmp_path: Path) -> None:
    travis = ("language: c\nscript: make check\naddons:\n  apt:\n    packages: [cmake]\n"
              "  coverity_scan:\n    project:\n      name: acme/calc\n")  # fmt: skip
    flow = _by(tmp_path, {".travis.yml": travis})[".travis.yml"]
    assert [(f.source.line, f.detail) for f in flow.sast] == [  # type: ignore[attr-defined]
        (6, "Travis CI addon coverity_scan")]  # fmt: skip


def test_travis_default_script_of_the_language(tmp_path: Path) -> None:
    node = "os: linux\nlanguage: node_js\nnode_js:\n  - 20\n"
    travis = _by(tmp_path / "n", {".travis.yml": node, "package.json": "{}"})[".travis.yml"]
    (found,) = travis.runs_tests  # type: ignore[attr-defined]
    assert (found.source.line, found.detail) == (
        2, "runs npm test (Travis CI's default script for language: node_js)")  # fmt: skip
    # Go: make when a Makefile is there, followed into its first target
    go = "language: go\ngo:\n  - 1.22.x\n"
    mk = "all: lint unit\n\nlint:\n\tgo vet ./...\n\nunit:\n\tgo test ./...\n"
    travis = _by(tmp_path / "g", {".travis.yml": go, "Makefile": mk})[".travis.yml"]
    assert _at(travis.runs_tests) == ["Makefile:1"]  # type: ignore[attr-defined]
    # Python has no default script: nothing runs, and the probe fails (the file was read)
    write(tmp_path / "p", {".travis.yml": "language: python\ninstall: pip install .\n"})
    out = run_probe("tests_run_in_ci", collect_facts(tmp_path / "p"))
    assert out.status.value == "fail", out.message
    # an included job without a script, in another language, runs that language's default
    mixed = ("language: python\njobs:\n  include:\n    - script: flake8\n"
             "    - language: rust\n      rust: stable\n")  # fmt: skip
    travis = _by(tmp_path / "m", {".travis.yml": mixed})[".travis.yml"]
    assert [(f.source.line, f.detail.split(" (")[0]) for f in travis.runs_tests] == [  # type: ignore[attr-defined]
        (5, "runs cargo test --verbose")]  # fmt: skip


def test_travis_ruby_default_follows_the_rakefile(tmp_path: Path) -> None:
    rakefile = (
        "require 'rspec/core/rake_task'\nRSpec::Core::RakeTask.new(:spec)\ntask default: :spec\n"
    )
    travis = _by(tmp_path, {".travis.yml": "rvm:\n  - 3.3\n", "Rakefile": rakefile})
    (found,) = travis[".travis.yml"].runs_tests  # type: ignore[attr-defined]
    assert found.source.line == 1 and "rake (default) runs spec" in found.detail


CIRRUS = """\
env:
  RUST_BACKTRACE: "1"

defaults: &defaults
  install_script: pkg install -y rust
  test_script: cargo test --workspace

task:
  name: FreeBSD
  freebsd_instance:
    image_family: freebsd-14-1
  <<: *defaults

task:
  name: Lint
  container:
    image: rust:1.80
  clippy_script:
    - rustup component add clippy
    - cargo clippy --all-targets -- -D warnings

audit_task:
  container:
    image: rust:1.80
  matrix:
    - name: audit
      audit_script: cargo audit
"""


def test_cirrus_every_task_with_repeated_keys_and_anchors(tmp_path: Path) -> None:
    cirrus = _by(tmp_path, {".cirrus.yml": CIRRUS})[".cirrus.yml"]
    assert cirrus.system == "Cirrus CI"  # type: ignore[attr-defined]
    # the merged script (from the anchor) is reported where it is written
    assert _at(cirrus.runs_tests) == [".cirrus.yml:6"]  # type: ignore[attr-defined]
    assert _at(cirrus.sast) == [".cirrus.yml:20"]  # type: ignore[attr-defined]
    assert _at(cirrus.sca) == [".cirrus.yml:27"]  # type: ignore[attr-defined]
    assert [f.detail for f in cirrus.unpinned_images] == [  # type: ignore[attr-defined]
        "container image rust:1.80", "container image rust:1.80"]  # fmt: skip


def test_unreadable_travis_file_is_an_error_not_a_fail(tmp_path: Path) -> None:
    write(tmp_path, {".travis.yml": "script: [make test\n"})
    out = run_probe("tests_run_in_ci", collect_facts(tmp_path))
    assert out.status.value == "error"
    assert [e.source for e in out.evidence] == [".travis.yml"]


def test_ci_steward_does_not_read_is_named_in_the_unknown(tmp_path: Path) -> None:
    jenkins = "pipeline {\n  stages {\n    stage('t') { steps { sh 'make check' } }\n  }\n}\n"
    star = "def main(ctx):\n    return []\n"
    wf = ("on: push\npermissions: {}\njobs:\n  docs:\n    runs-on: ubuntu-latest\n"
          "    steps:\n      - run: mkdocs build\n")  # fmt: skip
    write(tmp_path, {"Jenkinsfile": jenkins, ".cirrus.star": star,
                     ".github/workflows/docs.yml": wf, "tests/check.sh": "exit 0\n"})  # fmt: skip
    named = ("CI configured in Jenkins (Jenkinsfile), Cirrus CI (Starlark) (.cirrus.star), "
             "which Steward do not read")  # fmt: skip
    facts = collect_facts(tmp_path)
    out = run_probe("tests_run_in_ci", facts)
    assert out.status.value == "unknown" and named in out.message, out.message
    # beside a workflow that is read, analysers not named anywhere are absent (fail)
    for name in ("sast_configured", "sca_configured"):
        assert run_probe(name, facts).status.value == "fail", name
    (tmp_path / ".github/workflows/docs.yml").unlink()
    facts = collect_facts(tmp_path)
    for name in ("tests_run_in_ci", "sast_configured", "sca_configured"):
        out = run_probe(name, facts)
        assert out.status.value == "unknown", (name, out.message)
        assert named in out.message


TRAVIS_COVERITY = (
    "language: c\n"  # 1
    "script:\n"
    "  - make && make test\n"  # 3
    "addons:\n"
    "  coverity_scan:\n"  # 5
    "    build_command: make\n"
)


def test_a_travis_file_unchanged_since_travis_ci_org_closed_is_not_counted_on(
    tmp_path: Path,
) -> None:
    """mosquitto, paho.mqtt.c: a .travis.yml last changed in 2020/2021 beside newer work: its
    Coverity addon and test script are named, not taken as run (travis-ci.org closed on 15
    June 2021): static analysis and tests say "cannot tell" at the line, never pass."""
    from tests.collect.gitrepo import commit, init

    init(tmp_path)
    commit(tmp_path, "travis", {".travis.yml": TRAVIS_COVERITY, "a.c": "int a;\n",
                                "tests/a_test.c": "int main(void) { return 0; }\n"},
           when=1_577_836_800)  # 2020-01-01  # fmt: skip
    commit(tmp_path, "later work", {"a.c": "int a = 1;\n"}, when=1_700_000_000)
    facts = collect_facts(tmp_path)
    sast = run_probe("sast_configured", facts)
    assert sast.status.value == "unknown", sast.message
    assert [(e.source, e.line) for e in sast.evidence] == [(".travis.yml", 5)]
    assert "travis-ci.org closed in June 2021" in sast.evidence[0].detail
    tests = run_probe("tests_run_in_ci", facts)
    assert tests.status.value == "unknown", tests.message
    assert run_probe("ci_present", facts).status.value == "pass"
    # changed after the closure: read as it is
    commit(tmp_path, "travis: keep", {".travis.yml": TRAVIS_COVERITY + "# kept\n"},
           when=1_700_000_100)  # fmt: skip
    facts = collect_facts(tmp_path)
    assert run_probe("sast_configured", facts).status.value == "pass"
    assert run_probe("tests_run_in_ci", facts).status.value == "pass"
