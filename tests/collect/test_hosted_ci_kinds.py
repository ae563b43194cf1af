"""CI kinds a seventh blind round showed (held-out-7b, small self-written fixtures): the
pre-commit hooks also run through prek's action and through pre-commit.ci, the hosted service
configured by the ``ci:`` section of ``.pre-commit-config.yaml`` or seen through its bot's
commits; formatters among the hooks are no analysis; ruff's rules selected in the dotted form
pyproject-fmt writes (``lint.select = ["ALL"]``) are read."""

from __future__ import annotations

from pathlib import Path

from steward.collect import collect_facts
from steward.collect.ci import collect_workflows, pre_commit_ci
from steward.collect.tree import walk
from steward.evaluate.probes.base import run_probe
from tests.collect.gitrepo import commit, init, write

HOOKS = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.15.9
    hooks:
      - id: ruff-format
      - id: ruff-check
  - repo: https://github.com/zizmorcore/zizmor-pre-commit
    rev: v1.23.1
    hooks:
      - id: zizmor
"""
RUFF_ALL = '[project]\nname = "w"\n\n[tool.ruff]\nline-length = 120\nlint.select = [\n  "ALL",\n]\n'
RUFF_STYLE = '[project]\nname = "w"\n\n[tool.ruff]\nlint.select = [ "E", "F" ]\n'


def _lines(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


def test_prek_action_runs_the_pre_commit_hooks(tmp_path: Path) -> None:
    wf = (
        "on: [push, pull_request]\npermissions: {}\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v5\n"
        "      - uses: j178/prek-action@cbc2f23eb5539cf20d82d1aabd0d0ecbcc56f4e3 # v2.0.2\n"
    )
    write(tmp_path, {".github/workflows/lint.yml": wf, ".pre-commit-config.yaml": HOOKS,
                     "pyproject.toml": RUFF_STYLE})  # fmt: skip
    workflows, problems = collect_workflows(walk(tmp_path))
    assert problems == []
    (lint,) = workflows
    # zizmor analyses the workflows; ruff without the S rules and ruff-format do not count
    assert [f.detail for f in lint.sast] == ["pre-commit hook zizmor (.pre-commit-config.yaml:10)"]
    assert _lines(lint.sast) == [".github/workflows/lint.yml:8"]


def test_pre_commit_ci_section_is_hosted_ci(tmp_path: Path) -> None:
    config = HOOKS + "\nci:\n  autoupdate_schedule: quarterly\n"
    write(tmp_path, {".pre-commit-config.yaml": config, "pyproject.toml": RUFF_ALL})
    hosted = pre_commit_ci(walk(tmp_path), bot_commits=False)
    assert hosted is not None and hosted.system == "pre-commit.ci"
    assert hosted.source.line == 12
    # ruff-check with lint.select = ["ALL"] (the Bandit rules) and zizmor, not ruff-format
    assert _lines(hosted.sast) == [".pre-commit-config.yaml:6", ".pre-commit-config.yaml:10"]


def test_no_sign_of_pre_commit_ci_is_no_ci(tmp_path: Path) -> None:
    write(tmp_path, {".pre-commit-config.yaml": HOOKS})
    assert pre_commit_ci(walk(tmp_path), bot_commits=False) is None
    assert pre_commit_ci(walk(tmp_path / "missing"), bot_commits=True) is None


def test_pre_commit_ci_seen_through_its_bot_commits(tmp_path: Path) -> None:
    root = init(tmp_path / "r", {".pre-commit-config.yaml": HOOKS, "pyproject.toml": RUFF_ALL,
                                 "README.md": "# w\n"})  # fmt: skip
    commit(root, "initial", when=1_700_000_000)
    commit(root, "[pre-commit.ci] pre-commit autoupdate", {"README.md": "# w\n\nx\n"},
           author=("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
           when=1_700_100_000)  # fmt: skip
    facts = collect_facts(root, now=1_700_200_000)
    sast = run_probe("sast_configured", facts)
    assert sast.status.value == "pass"
    assert [f"{e.source}:{e.line}" for e in sast.evidence] == [
        ".pre-commit-config.yaml:6", ".pre-commit-config.yaml:10"]  # fmt: skip
    # pre-commit.ci runs hooks, never the test suite: no "CI not analysed" unknown
    assert run_probe("tests_run_in_ci", facts).status.value == "fail"


TOX_TOML = """\
env_list = ["3.14", "coverage"]

[env_run_base]
description = "run the tests"
commands = [
  [
    "pytest",
    { replace = "posargs", default = ["--cov", "lib"], extend = true },
    "tests",
  ],
]

[env.coverage]
commands = [["coverage", "combine"], ["coverage", "report"]]

[env.docs]
commands = [["sphinx-build", "docs", "out"]]

[env.bench]
commands = [["python", "tasks/benchmark.py"]]
"""
MATRIX_WF = """\
on: [push, pull_request]
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        py: ["3.14", "3.13"]
    steps:
      - run: tox run -e ${{ matrix.py }}
  check:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        tox_env: [docs, coverage]
    steps:
      - run: tox run -e ${{ matrix.tox_env }}
      - run: tox -e bench
"""


def test_tox_toml_environments_decide_what_runs_tests(tmp_path: Path) -> None:
    """held-out-7b (filelock): tox reads tox.toml; ``tox -e coverage``, a matrix of docs and
    coverage environments and a benchmark are no test runs, a Python factor environment
    without a section of its own runs env_run_base's pytest."""
    write(tmp_path, {".github/workflows/ci.yml": MATRIX_WF, "tox.toml": TOX_TOML})
    (wf,) = collect_workflows(walk(tmp_path))[0]
    assert _lines(wf.runs_tests) == [".github/workflows/ci.yml:10"]
    assert "tox.toml:7" in wf.runs_tests[0].detail


def test_tox_in_pyproject_native_and_legacy(tmp_path: Path) -> None:
    wf = "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: tox -e lint\n"
    native = (
        '[project]\nname = "w"\n\n[tool.tox.env_run_base]\ncommands = [["pytest"]]\n\n'
        '[tool.tox.env.lint]\ncommands = [["ruff", "check", "."]]\n'
    )
    legacy = (
        '[project]\nname = "w"\n\n[tool.tox]\nlegacy_tox_ini = """\n[testenv]\n'
        'commands = pytest\n\n[testenv:lint]\ncommands = bandit -r src\n"""\n'
    )
    for i, pyproject in enumerate((native, legacy)):
        root = tmp_path / str(i)
        write(root, {".github/workflows/ci.yml": wf, "pyproject.toml": pyproject})
        (found,) = collect_workflows(walk(root))[0]
        assert found.runs_tests == ()  # the lint environment runs no tests
        py = wf.replace("-e lint", "-e py312")
        write(root, {".github/workflows/ci.yml": py})
        (found,) = collect_workflows(walk(root))[0]
        assert _lines(found.runs_tests) == [".github/workflows/ci.yml:6"]
    # the legacy ini's bandit is static analysis at its line in pyproject.toml
    write(tmp_path / "1", {".github/workflows/ci.yml": wf})
    (found,) = collect_workflows(walk(tmp_path / "1"))[0]
    assert _lines(found.sast) == ["pyproject.toml:10"]
