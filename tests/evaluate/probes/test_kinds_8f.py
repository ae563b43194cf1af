"""Kinds the eighth blind round (held-out-8f: hobby and single-maintainer projects) showed,
each on a small self-written fixture:

- an analyser run through a wrapper action named after it (``giraffate/clippy-action``,
  ``reviewdog/action-staticcheck``) is static analysis, an action that only installs one is
  not (a false fail of ``sast_configured`` before);
- Dependabot's security updates, which run without a configuration file, show that the
  language dependencies are scanned: the bot's commits updating a lockfile pass
  ``sca_configured``, its commits bumping only GitHub Actions do not (a false fail before);
- a badge linking to the project's API reference on a documentation host (pkg.go.dev,
  docs.rs, Read the Docs) is user documentation whatever its text, "Go Reference" (a false
  level-1 fail of ``user_documentation_present`` before); a link to another package's docs
  in the prose is not; so is the API documentation those hosts render from the source, a Go
  package comment or a Rust crate's ``//!`` documentation (not a one-line or licence
  comment);
- a test runner under coverage.py (``coverage run -m pytest``, ``python -m coverage run
  tests/run.py``) is a test run in CI (not recognised before);
- a file named like a test inside a directory of test inputs (``tests/_data/test.py``, the
  sample project a tool's tests scan) is a fixture: the tests' evidence names the real test
  files (it named three fixtures before).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steward.collect.ci import collect_workflows
from steward.collect.facts import Problem, Source
from steward.collect.run import collect_facts
from steward.collect.tree import walk
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import commit, init, write
from tests.evaluate.probes import factsbuilder as fb
from tests.evaluate.probes.factsbuilder import git, make_facts

DAY = 86_400


def _locations(probe: str, root: Path) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" for e in out.evidence]


# ------------------------------------------------------------------ analyser wrapper actions

WRAPPERS = """\
on: [push, pull_request]
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions:
      checks: write
    steps:
      - uses: actions/checkout@v4
      - uses: {action}
        with:
          github_token: ${{{{ secrets.GITHUB_TOKEN }}}}
"""


@pytest.mark.parametrize(
    "action",
    ["giraffate/clippy-action@v1", "auguwu/clippy-action@1.4.0",
     "reviewdog/action-staticcheck@v1", "example-org/gosec-action/run@v2"],
)  # fmt: skip
def test_an_analyser_behind_a_wrapper_action_is_static_analysis(
    tmp_path: Path, action: str
) -> None:
    write(tmp_path, {".github/workflows/lint.yml": WRAPPERS.format(action=action)})
    status, where = _locations("sast_configured", tmp_path)
    assert (status, where) == ("pass", [".github/workflows/lint.yml:11"])


@pytest.mark.parametrize(
    "action",
    ["example-org/setup-phpstan@v1", "example-org/install-clippy@v2",
     "github/codeql-action/upload-sarif@v3", "dtolnay/rust-toolchain@stable"],
)  # fmt: skip
def test_an_action_that_installs_or_uploads_is_no_analysis(tmp_path: Path, action: str) -> None:
    write(tmp_path, {".github/workflows/lint.yml": WRAPPERS.format(action=action)})
    status, _ = _locations("sast_configured", tmp_path)
    assert status == "fail"


# ------------------------------------------------------- Dependabot security updates (SCA)

BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def _project_with_bot(root: Path, bot_files: dict[str, str | bytes], subject: str) -> str:
    now = int(time.time())
    init(root)
    commit(root, "start", {"pyproject.toml": '[project]\nname = "w"\ndependencies = ["a>=1"]\n',
                           "poetry.lock": "# lock\n", "w.py": "x = 1\n"},
           when=now - 200 * DAY)  # fmt: skip
    sha = commit(root, subject, bot_files, author=BOT, when=now - 100 * DAY)
    commit(root, "a change of the maintainer's", {"w.py": "x = 2\n"}, when=now - 10 * DAY)
    return sha


def test_dependabot_security_updates_of_a_lockfile_are_dependency_scanning(
    tmp_path: Path,
) -> None:
    sha = _project_with_bot(
        tmp_path, {"poetry.lock": "# lock, urllib3 2.6.0\n"}, "Bump urllib3 from 2.5.0 to 2.6.0"
    )
    out = run_probe("sca_configured", collect_facts(tmp_path))
    assert out.status.value == "pass"
    assert [e.source for e in out.evidence] == [f"commit {sha}"]
    assert "poetry.lock" in out.evidence[0].detail


def test_dependabot_bumping_only_actions_is_no_dependency_scanning(tmp_path: Path) -> None:
    _project_with_bot(
        tmp_path,
        {".github/workflows/ci.yml": "on: push\njobs: {}\n"},
        "Bump actions/checkout from 4 to 5",
    )
    out = run_probe("sca_configured", collect_facts(tmp_path))
    assert out.status.value == "fail"


def test_a_person_updating_a_lockfile_is_no_scanning(tmp_path: Path) -> None:
    now = int(time.time())
    init(tmp_path)
    commit(tmp_path, "start", {"Cargo.toml": '[package]\nname = "w"\n', "Cargo.lock": "#\n"},
           when=now - 50 * DAY)  # fmt: skip
    commit(tmp_path, "cargo update", {"Cargo.lock": "# updated\n"}, when=now - 5 * DAY)
    assert run_probe("sca_configured", collect_facts(tmp_path)).status.value == "fail"


# ------------------------------------------------------------ API reference badges (docs)


def test_an_api_reference_badge_is_user_documentation(tmp_path: Path) -> None:
    write(tmp_path, {
        "go.mod": "module example.org/hash\n\ngo 1.21\n",
        "hash.go": "// Package hash hashes.\npackage hash\n",
        "README.md": "# hash\n\n"
                     "[![Go Reference](https://pkg.go.dev/badge/example.org/hash.svg)]"
                     "(https://pkg.go.dev/example.org/hash)\n\n"
                     "A fast hash.\n\n## Benchmarks\n\nFast.\n",
    })  # fmt: skip
    assert _locations("user_documentation_present", tmp_path) == ("pass", ["README.md:3"])


def test_a_read_the_docs_badge_in_restructuredtext(tmp_path: Path) -> None:
    write(tmp_path, {
        "README.rst": "hash\n====\n\n"
                      ".. image:: https://readthedocs.org/projects/hash/badge/?version=latest\n"
                      "   :target: https://hash.readthedocs.io/en/latest/\n\nA fast hash.\n",
    })  # fmt: skip
    assert _locations("user_documentation_present", tmp_path) == ("pass", ["README.rst:5"])


def test_a_link_to_another_packages_docs_is_not_the_projects(tmp_path: Path) -> None:
    write(tmp_path, {
        "README.md": "# hash\n\nBuilt on [serde](https://docs.rs/serde) and "
                     "[![crates.io](https://img.shields.io/crates/v/hash.svg)]"
                     "(https://crates.io/crates/hash).\n\n## Benchmarks\n\nFast.\n",
    })  # fmt: skip
    assert _locations("user_documentation_present", tmp_path)[0] == "fail"


# ------------------------------------------------------------- tests under coverage.py

COVERAGE = """\
on: [push, pull_request]
jobs:
  cov:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: {command}
"""


@pytest.mark.parametrize(
    ("command", "detail"),
    [("poetry run coverage run --source=widget -m unittest discover", "runs unittest discover"),
     ("python -m coverage run --source widget --branch -m pytest -q", "runs pytest -q"),
     ("coverage run tests/run_tests.py", "runs tests/run_tests.py")],
)  # fmt: skip
def test_a_test_run_under_coverage_is_a_test_run(tmp_path: Path, command: str, detail: str) -> None:
    write(tmp_path, {".github/workflows/cov.yml": COVERAGE.format(command=command),
                     "tests/run_tests.py": "print('ok')\n"})  # fmt: skip
    workflows, problems = collect_workflows(walk(tmp_path))
    assert problems == []
    found = [(f.source.line, f.detail) for w in workflows for f in w.runs_tests]
    assert found == [(7, detail)]


@pytest.mark.parametrize("command", ["coverage report -m", "coverage xml", "coverage combine"])
def test_coverage_reports_are_no_test_run(tmp_path: Path, command: str) -> None:
    write(tmp_path, {".github/workflows/cov.yml": COVERAGE.format(command=command)})
    workflows, _ = collect_workflows(walk(tmp_path))
    assert [f for w in workflows for f in w.runs_tests] == []


def test_a_bot_pull_request_completed_with_other_changes_is_no_scanning(tmp_path: Path) -> None:
    # a pre-commit hooks bump squash-merged with fixes: pyproject.toml changed beside the
    # hooks and the tests, no dependency update of the project's
    _project_with_bot(
        tmp_path,
        {".pre-commit-config.yaml": "repos: []\n", "pyproject.toml": "[project]\nname = 'w'\n",
         "tests/test_w.py": "def test(): pass\n"},
        "chore(deps): bump the pre-commit group with 5 updates",
    )  # fmt: skip
    assert run_probe("sca_configured", collect_facts(tmp_path)).status.value == "fail"


# --------------------------------------------------------- fixtures named like tests


def test_fixtures_named_like_tests_are_not_the_tests_evidence(tmp_path: Path) -> None:
    write(tmp_path, {
        "tool/scan.py": "def scan(): pass\n",
        "tests/_data/test.py": "import requests\n",
        "tests/_data_clean/test.py": "import flask\n",
        "tests/testdata/widget_test.go": "package widget\n",
        "tests/test_scan.py": "def test_scan(): pass\n",
    })  # fmt: skip
    out = run_probe("tests_present", collect_facts(tmp_path))
    assert (out.status.value, [e.source for e in out.evidence]) == ("pass", ["tests/test_scan.py"])


def test_only_fixtures_leave_the_tests_directory_as_evidence(tmp_path: Path) -> None:
    write(tmp_path, {"tool/scan.py": "x = 1\n", "tests/_data/test.py": "import requests\n",
                     "tests/run.sh": "python -m tool tests/_data\n"})  # fmt: skip
    out = run_probe("tests_present", collect_facts(tmp_path))
    assert (out.status.value, [e.source for e in out.evidence]) == ("pass", ["tests/"])


# ------------------------------------------------- API documentation in the source


GO_DOC = """\
// Package hash implements a fast 64-bit hash.
// Sum64 hashes a byte slice; New returns a streaming Digest.
package hash

func Sum64(b []byte) uint64 { return 0 }
"""


def test_a_go_package_comment_is_user_documentation(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": "module example.org/hash\n\ngo 1.21\n", "hash.go": GO_DOC,
                     "hash_test.go": "package hash\n",
                     "README.md": "# hash\n\nFast.\n"})  # fmt: skip
    assert _locations("user_documentation_present", tmp_path) == ("pass", ["hash.go:1"])


def test_a_one_line_or_licence_comment_is_no_package_documentation(tmp_path: Path) -> None:
    write(tmp_path, {
        "go.mod": "module example.org/hash\n\ngo 1.21\n",
        "a.go": "// Package hash hashes.\npackage hash\n",
        "b.go": "// Copyright 2024 Someone.\n// Licensed under MIT.\npackage hash\n",
        "README.md": "# hash\n\nFast.\n",
    })  # fmt: skip
    assert _locations("user_documentation_present", tmp_path)[0] == "fail"


def test_rust_crate_documentation_is_user_documentation(tmp_path: Path) -> None:
    lib = (
        "// Copyright 2024 Someone.\n#![no_std]\n\n"
        "//! A concurrency primitive for many readers and one writer.\n"
        "//!\n//! Reads never block; the writer publishes its changes.\npub fn f() {}\n"
    )
    write(tmp_path, {"Cargo.toml": '[package]\nname = "lr"\n', "src/lib.rs": lib,
                     "README.md": "# lr\n\nFast.\n"})  # fmt: skip
    # at the documentation's first line, after the licence comment and the crate attribute
    assert _locations("user_documentation_present", tmp_path) == ("pass", ["src/lib.rs:4"])


def test_a_short_crate_comment_is_no_documentation(tmp_path: Path) -> None:
    write(tmp_path, {"Cargo.toml": '[package]\nname = "lr"\n',
                     "src/lib.rs": "//! lr\n\npub fn f() {}\n",
                     "README.md": "# lr\n\nFast.\n"})  # fmt: skip
    assert _locations("user_documentation_present", tmp_path)[0] == "fail"


def test_unreadable_bot_commits_are_an_error_not_a_fail() -> None:
    # git could read the history but not the bots' files: scanning cannot be told, while the
    # history probes still answer from the history
    facts = make_facts(
        git=git((fb.commit("b" * 40), fb.commit("c" * 40, email="bob@example.org", name="Bob"))),
        problems=(Problem(Source(path=".git"), "git log failed: timeout", "git-bots"),),
    )
    assert run_probe("sca_configured", facts).status.value == "error"
    assert run_probe("multiple_maintainers", facts).status.value == "pass"


PIP_CONFIG = (
    "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
    "    schedule:\n      interval: weekly\n"
)
ACTIONS_CONFIG = PIP_CONFIG.replace("pip", "github-actions")


def test_bot_commits_from_a_configuration_since_removed_are_no_scanning(tmp_path: Path) -> None:
    """pallets/markupsafe: a year of grouped pip updates from a Dependabot configuration,
    then "remove dependabot": the bot's commits came from the configuration, not from
    security updates, and nothing watches the dependencies any more."""
    now = int(time.time())
    init(tmp_path)
    commit(tmp_path, "start", {"requirements.txt": "a==1.0\n", ".github/dependabot.yml":
           PIP_CONFIG, "w.py": "x = 1\n"}, when=now - 300 * DAY)  # fmt: skip
    commit(tmp_path, "Bump the python-requirements group with 3 updates",
           {"requirements.txt": "a==1.1\n"}, author=BOT, when=now - 200 * DAY)  # fmt: skip
    (tmp_path / ".github/dependabot.yml").unlink()
    commit(tmp_path, "remove dependabot", when=now - 100 * DAY)
    assert run_probe("sca_configured", collect_facts(tmp_path)).status.value == "fail"


def test_bot_commits_after_the_configuration_narrowed_show_security_updates(
    tmp_path: Path,
) -> None:
    """pypa/build: the configuration watches GitHub Actions only; pip bumps of the bot that
    came after its last change are security updates (pass); those before it are not told."""
    now = int(time.time())
    init(tmp_path)
    commit(tmp_path, "start", {"requirements.txt": "a==1.0\n", ".github/dependabot.yml":
           PIP_CONFIG, "w.py": "x = 1\n"}, when=now - 300 * DAY)  # fmt: skip
    commit(tmp_path, "Bump a from 1.0 to 1.1", {"requirements.txt": "a==1.1\n"}, author=BOT,
           when=now - 250 * DAY)  # fmt: skip
    commit(tmp_path, "ci: actions only", {".github/dependabot.yml": ACTIONS_CONFIG},
           when=now - 200 * DAY)  # fmt: skip
    assert run_probe("sca_configured", collect_facts(tmp_path)).status.value == "fail"
    sha = commit(tmp_path, "Bump a from 1.1 to 1.2", {"requirements.txt": "a==1.2\n"},
                 author=BOT, when=now - 100 * DAY)  # fmt: skip
    out = run_probe("sca_configured", collect_facts(tmp_path))
    assert out.status.value == "pass"
    assert [e.source for e in out.evidence] == [f"commit {sha}"]
