"""Kinds met in the held-out-16a blind round (pallets/werkzeug, hynek/argon2-cffi), each on a
small self-written repository collected from its files (``collect_facts``) and judged by the
probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.toxconfig import tox_config
from steward.collect.tree import walk
from tests.collect.gitrepo import write
from tests.evaluate.probes.onrepo import judge, where

# -- a factor-conditional tox command (``ruff: ruff format .``) is the command after its
#    condition, and it belongs only to the environments whose factors satisfy the condition

TOX_INI = """[tox]
env_list = lint-{ruff,pre-commit}, 3.1{2,3}-{tests,mypy}

[testenv]
commands =
    tests: pytest {posargs}
    mypy: mypy typing_tests

[testenv:lint-{ruff,pre-commit}]
skip_install = true
commands =
    ruff: ruff format --exit-non-zero-on-format .
    pre-commit: prek run --all-files
"""
PYPROJECT = '[project]\nname = "widget"\nversion = "1.0"\n\n[tool.ruff.lint]\nselect = ["ALL"]\n'


def _repo(run: str) -> dict[str, str]:
    return {
        "tox.ini": TOX_INI,
        "pyproject.toml": PYPROJECT,
        "tests/test_widget.py": "def test_it():\n    assert True\n",
        ".github/workflows/ci.yml": (
            "name: ci\non: [push, pull_request]\npermissions: {}\njobs:\n  check:\n"
            f"    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"
        ),
    }


def test_a_factor_conditional_ruff_format_is_the_formatter_not_analysis(tmp_path: Path) -> None:
    out = judge(tmp_path, _repo("tox run -f lint"), "sast_configured")
    # the condition ``ruff:`` is not the program: ``ruff format`` is no static analysis
    assert out["sast_configured"].status.value == "fail"


def test_a_factor_conditional_ruff_check_still_counts(tmp_path: Path) -> None:
    files = _repo("tox run -f lint")
    files["tox.ini"] = TOX_INI.replace("ruff: ruff format", "ruff: ruff check")
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == "pass"
    assert where(out["sast_configured"]) == ["tox.ini:12"]


@pytest.mark.parametrize(
    ("run", "status"),
    [
        ("tox run -e 3.12-tests", "pass"),  # tests: pytest
        ("tox run -e 3.12-mypy", "fail"),  # only mypy: mypy typing_tests of the same [testenv]
    ],
)
def test_a_factor_conditional_command_runs_only_in_environments_with_the_factor(
    tmp_path: Path, run: str, status: str
) -> None:
    out = judge(tmp_path, _repo(run), "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == status
    if status == "pass":
        assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:8"]


@pytest.mark.parametrize(
    ("condition", "env", "runs"),
    [
        ("py312,py313", "py313-django", True),  # either
        ("py312-django", "py312-django", True),  # both
        ("py312-django", "py312-flask", False),
        ("!py312", "py313", True),  # not
        ("!py312", "py312", False),
        ("{py312,py313}-django", "py313-django", True),  # generative
    ],
)
def test_factor_conditions_hold_by_tox_rules(
    tmp_path: Path, condition: str, env: str, runs: bool
) -> None:
    write(tmp_path, {"tox.ini": f"[testenv]\ncommands =\n    {condition}: pytest\n    - true\n"})
    config = tox_config(walk(tmp_path))
    assert config is not None
    assert ((3, "pytest") in config.commands(env)) is runs
    assert (4, "true") in config.commands(env)  # ``- cmd`` (exit code ignored) is no condition
