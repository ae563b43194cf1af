"""CI kinds a second blind round on real repositories showed (small self-written fixtures):
a shared "maven-verify" reusable workflow runs the tests and house-keeping workflows are not
candidates; pre-commit hooks and tox environments are followed one level for analysers and
scanners (ruff only with its security rules); ``make check-<thing>`` is followed into its
recipe instead of being taken for a test run by its name."""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.commands import is_test_target
from steward.collect.facts import Workflow
from steward.collect.tree import walk
from tests.collect.gitrepo import write

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def _workflows(root: Path, files: dict[str, str | bytes]) -> dict[str, Workflow]:
    write(root, files)
    workflows, problems = collect_workflows(walk(root))
    assert problems == []
    return {str(w.source.path): w for w in workflows}


def _lines(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


SHARED = "org/shared-actions/.github/workflows"


def test_shared_maven_verify_workflow_runs_the_tests(tmp_path: Path) -> None:
    wfs = _workflows(
        tmp_path,
        {
            ".github/workflows/verify.yml": "on: [push, pull_request]\njobs:\n  build:\n"
            f"    name: Verify\n    uses: {SHARED}/maven-verify.yml@v5\n",
            ".github/workflows/stale.yml": "on:\n  schedule:\n    - cron: '0 0 * * *'\n"
            f"jobs:\n  stale:\n    uses: {SHARED}/stale.yml@v5\n",
            ".github/workflows/drafter.yml": "on: push\njobs:\n  update_release_draft:\n"
            f"    uses: {SHARED}/release-drafter.yml@v5\n",
            ".github/workflows/other.yml": "on: push\njobs:\n  ci:\n"
            f"    uses: {SHARED}/ci.yml@v5\n",
        },
    )
    assert _lines(wfs[".github/workflows/verify.yml"].runs_tests) == [
        ".github/workflows/verify.yml:5"
    ]
    for chore in ("stale", "drafter"):  # house-keeping: neither tests nor "cannot tell"
        wf = wfs[f".github/workflows/{chore}.yml"]
        assert wf.runs_tests == () and wf.test_unknowns == ()
    # a generic name: cannot tell
    assert _lines(wfs[".github/workflows/other.yml"].test_unknowns) == [
        ".github/workflows/other.yml:4"
    ]


PRE_COMMIT_WF = f"""\
on: push
jobs:
  pre-commit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{SHA}
      - uses: pre-commit/action@{SHA}
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: pip install tox==4.0.0
      - run: tox -e lint
"""
HOOKS = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.6.0
    hooks:
      - id: ruff
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.5.0
    hooks:
      - id: check-yaml
"""
TOX = """\
[tox]
envlist = py312

[testenv]
deps = pytest
commands =
    pytest {posargs}

[testenv:lint]
deps =
    pre-commit
    safety
commands =
    pre-commit run --all-files
    - mypy src
    safety check
"""


def test_pre_commit_hooks_and_tox_environments_are_followed(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/lint.yml": PRE_COMMIT_WF,
        ".pre-commit-config.yaml": HOOKS,
        "tox.ini": TOX,
        "pyproject.toml": '[project]\nname = "w"\n\n[tool.ruff.lint]\nextend-select = [\n'
        '    "B",\n    "S",  # Bandit\n]\n',
    }
    wf = _workflows(tmp_path, files)[".github/workflows/lint.yml"]
    # ruff with the Bandit rules, run by the pre-commit action and by tox -e lint
    assert _lines(wf.sast) == [".github/workflows/lint.yml:7", "tox.ini:14"]
    assert _lines(wf.sca) == ["tox.ini:16"]  # safety check in the lint environment
    assert wf.runs_tests == ()  # tox -e lint is not a test run


def test_ruff_without_security_rules_is_not_static_security_analysis(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/lint.yml": PRE_COMMIT_WF,
        ".pre-commit-config.yaml": HOOKS,
        "pyproject.toml": '[project]\nname = "w"\n\n[tool.ruff.lint]\nselect = ["E", "F", "I"]\n',
    }
    wf = _workflows(tmp_path, files)[".github/workflows/lint.yml"]
    assert wf.sast == ()
    bandit = HOOKS + "  - repo: https://github.com/PyCQA/bandit\n    rev: 1.7.9\n    hooks:\n"
    bandit += "      - id: bandit\n"
    wf = _workflows(tmp_path / "b", {**files, ".pre-commit-config.yaml": bandit})[
        ".github/workflows/lint.yml"
    ]
    assert [f.detail for f in wf.sast] == ["pre-commit hook bandit (.pre-commit-config.yaml:13)"]


MAKEFILE = """\
GO ?= go

check-protos: protos ## the generated code is up to date
\t@test -z "$$(git status --short | grep .pb.go)" || (echo "run make protos" && false)

protos:
\tbuf generate

fmt-check:
\t$(GO) test ./...
"""


def test_make_check_targets_are_followed_not_taken_by_name(tmp_path: Path) -> None:
    assert is_test_target("check") and is_test_target("check-unit")
    assert is_test_target("test-integration") and not is_test_target("check-protos")
    wf = _workflows(
        tmp_path,
        {
            "Makefile": MAKEFILE,
            ".github/workflows/ci.yml": "on: push\njobs:\n  protos:\n    runs-on: x\n"
            "    steps:\n      - run: make check-protos\n      - run: make fmt-check\n",
        },
    )[".github/workflows/ci.yml"]
    # check-protos compares generated files; fmt-check (oddly) runs go test: its recipe says so
    assert _lines(wf.runs_tests) == ["Makefile:10"]


ANDROID_WF = f"""\
on: push
jobs:
  android:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew spotlessCheck --stacktrace
      - uses: reactivecircus/android-emulator-runner@{SHA}
        with:
          api-level: 33
          script: |
            adb logcat --clear || true
            echo 0 > gradle.exit
            ./gradlew :tests:connectedCheck --no-daemon || echo $? > gradle.exit
  elixir:
    runs-on: ubuntu-latest
    steps:
      - run: |
          mix local.hex --force
          mix deps.get --only test
      - run: mix do compile --warnings-as-errors, test
"""


def test_test_runs_in_gradle_mix_and_multi_line_action_inputs(tmp_path: Path) -> None:
    wf = _workflows(tmp_path, {".github/workflows/ci.yml": ANDROID_WF})[".github/workflows/ci.yml"]
    # spotlessCheck checks formatting and deps.get --only test fetches dependencies; the
    # emulator script's gradle command is found at its own line, not the input's first
    assert _lines(wf.runs_tests) == [".github/workflows/ci.yml:13", ".github/workflows/ci.yml:20"]


def test_static_analysers_applied_by_the_gradle_build(tmp_path: Path) -> None:
    conventions = (
        'plugins {\n    `java-library`\n    id("net.ltgt.errorprone")\n}\n\n'
        "dependencies {\n    errorprone(libs.errorprone)\n}\n"
    )
    wf = _workflows(
        tmp_path,
        {
            "buildSrc/src/main/kotlin/w.java-conventions.gradle.kts": conventions,
            "build.gradle.kts": 'plugins { id("w.java-conventions") }\n',
            ".github/workflows/ci.yml": "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n"
            "      - run: ./gradlew spotlessCheck\n      - run: ./gradlew build --scan\n",
        },
    )[".github/workflows/ci.yml"]
    assert [f.detail for f in wf.sast] == [
        "gradle build runs Error Prone (applied at "
        "buildSrc/src/main/kotlin/w.java-conventions.gradle.kts:3)"
    ]
    assert _lines(wf.sast) == [".github/workflows/ci.yml:7"]
    plain = _workflows(
        tmp_path / "b",
        {"build.gradle.kts": "plugins { java }\n", ".github/workflows/ci.yml": "on: push\njobs:\n"
         "  b:\n    runs-on: x\n    steps:\n      - run: ./gradlew build\n"},
    )[".github/workflows/ci.yml"]  # fmt: skip
    assert plain.sast == ()


def test_coverage_reports_are_not_test_runs() -> None:
    from steward.collect.commands import test_run

    assert test_run(["c8", "--include=src", "npm", "test"]).kind == "test"
    assert test_run(["c8", "report", "--reporter=text-lcov"]).kind == "no"
    assert test_run(["nyc", "report"]).kind == "no"
