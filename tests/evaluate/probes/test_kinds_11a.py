"""Kinds met in the held-out-11a blind round (pytest-dev/pluggy, hynek/structlog,
encode/httpx), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.collect.gitrepo import git, init
from tests.evaluate.probes.onrepo import judge, where

# -- a policy that sends reports to the repository's GitHub Security page names the forge's
#    private reporting; it does not defer to a policy stated elsewhere

SECURITY_PAGE_POLICY = "# Security\n\nPlease report any security vulnerabilities at {url}\n"
POLICY_PROBES = (
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
    "security_policy_disclosure_process",
    "security_policy_response_timeframe",
    "security_policy_supported_versions",
)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/widget/security.",
        "https://github.com/o/widget/security",
        "<https://github.com/o/widget/security/>",
        "[the Security tab](https://github.com/o/widget/security).",
    ],
)
def test_the_repositorys_github_security_page_is_private_reporting(
    tmp_path: Path, url: str
) -> None:
    # the repository is known (its origin remote), so the link is its own Security tab,
    # which shows this SECURITY.md; another repository's tab may hold a policy of its own
    # (tests/evaluate/probes/test_kinds_11f.py)
    init(tmp_path)
    git(tmp_path, "remote", "add", "origin", "https://github.com/o/widget.git")
    files = {"SECURITY.md": SECURITY_PAGE_POLICY.format(url=url)}
    out = judge(tmp_path, files, *POLICY_PROBES)
    status = {name: o.status.value for name, o in out.items()}
    assert status == {
        "security_policy_private_contact": "pass",
        "security_contacts_listed": "pass",
        "reporting_without_account": "fail",  # GitHub's form needs an account
        "report_encryption_key": "not-applicable",  # no e-mail method
        "security_policy_disclosure_process": "fail",
        "security_policy_response_timeframe": "fail",
        "security_policy_supported_versions": "fail",
    }
    assert where(out["security_policy_private_contact"]) == ["SECURITY.md:3"]
    assert where(out["reporting_without_account"]) == ["SECURITY.md:3"]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/widget/security/policy",  # the policy page: a linked policy
        "https://github.com/o/widget/security/advisories",  # the published advisories
        "https://example.org/security",  # a page of the project's site
    ],
)
def test_other_security_pages_stay_pages_the_policy_defers_to(tmp_path: Path, url: str) -> None:
    files = {"SECURITY.md": SECURITY_PAGE_POLICY.format(url=url)}
    out = judge(tmp_path, files, "security_policy_private_contact")
    assert out["security_policy_private_contact"].status.value == "unknown"


# -- ``tox run -f FACTOR`` runs the environments with that factor, not the whole env_list

TOX_INI = """[tox]
env_list =
    pre-commit,
    3.1{2,3}-tests
    color-{force,no}

[testenv]
commands =
    tests: pytest {posargs}

[testenv:pre-commit]
skip_install = true
deps = prek
commands = prek run --all-files

[testenv:color-{force,no}]
commands = python -c "import widget; widget.log('colour check')"
"""
PRE_COMMIT = """repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.15.0
    hooks:
      - id: ruff-check
"""
PYPROJECT = """[project]
name = "widget"
version = "1.0"

[tool.ruff.lint]
select = ["ALL"]
"""


def _workflow(run: str) -> str:
    return (
        "name: ci\non: [push, pull_request]\npermissions: {}\njobs:\n  check:\n"
        "    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
        "        python: ${{ fromJson(needs.x.outputs.versions) }}\n    steps:\n"
        f"      - run: {run}\n"
    )


def _tox_repo(run: str) -> dict[str, str]:
    return {
        "tox.ini": TOX_INI,
        ".pre-commit-config.yaml": PRE_COMMIT,
        "pyproject.toml": PYPROJECT,
        "tests/test_widget.py": "def test_it():\n    assert True\n",
        ".github/workflows/ci.yml": _workflow(run),
    }


def test_a_factor_selection_runs_only_the_environments_with_that_factor(tmp_path: Path) -> None:
    out = judge(tmp_path, _tox_repo("tox run -f color"), "tests_run_in_ci", "sast_configured")
    assert ".github/workflows/ci.yml:11" not in where(out["tests_run_in_ci"])
    assert out["tests_run_in_ci"].status.value != "pass"
    # the pre-commit environment (prek runs ruff with the S rules) is not among them
    assert out["sast_configured"].status.value == "fail"


@pytest.mark.parametrize(
    "run", ["tox run -f 3.12-tests", "tox run -f ${{ matrix.python }}-tests", "tox -f tests"]
)
def test_a_factor_selection_of_test_environments_runs_tests(tmp_path: Path, run: str) -> None:
    out = judge(tmp_path, _tox_repo(run), "tests_run_in_ci", "sast_configured")
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:11"]
    assert out["sast_configured"].status.value == "fail"


def test_the_whole_env_list_still_reaches_the_pre_commit_environment(tmp_path: Path) -> None:
    out = judge(tmp_path, _tox_repo("tox run"), "tests_run_in_ci", "sast_configured")
    assert out["tests_run_in_ci"].status.value == "pass"
    assert out["sast_configured"].status.value == "pass"
    assert "tox.ini:14" in where(out["sast_configured"])


# -- a requirements file that installs the checkout does not lock the project's own
#    dependencies unless it lists them

PROJECT = '[project]\nname = "widget"\nversion = "1.0"\ndependencies = ["certifi", "any_io>=4"]\n'


@pytest.mark.parametrize(
    ("requirements", "status"),
    [
        ("# tooling pinned, the package's dependencies not\n-e .[http2]\npytest==8.4.1\n", "fail"),
        (".\nruff==0.12.11\n", "fail"),
        ("-e .\ncertifi==2025.1.31 \\\n    --hash=sha256:0123abcd\nany-io==4.9.0\n", "pass"),
        ("certifi==2025.1.31\nany-io==4.9.0\npytest==8.4.1\n", "pass"),  # no checkout
    ],
)
def test_a_requirements_file_installing_the_checkout_locks_only_what_it_lists(
    tmp_path: Path, requirements: str, status: str
) -> None:
    files = {"pyproject.toml": PROJECT, "requirements.txt": requirements}
    out = judge(tmp_path, files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == status


# -- a "Release Policy" that only says how versions are numbered is no support policy

SEMVER_ONLY = (
    "Release Policy\n**************\nWidget uses Semantic Versioning. Breaking changes are only\n"
    'foreseen for major releases, so pin ``"widget>=1.0,<2.0"`` to avoid surprises.\n'
)
SUPPORTED = (
    "Release Policy\n**************\nWidget uses Semantic Versioning. Only the latest minor\n"
    "release is supported; older ones get no fixes.\n"
)


@pytest.mark.parametrize(
    ("page", "text", "status"),
    [
        ("docs/index.rst", SEMVER_ONLY, "fail"),
        ("docs/index.rst", SUPPORTED, "pass"),
        ("README.rst", SEMVER_ONLY, "fail"),
        ("README.rst", SUPPORTED, "pass"),
    ],
)
def test_a_release_policy_is_a_support_policy_only_when_it_says_what_is_supported(
    tmp_path: Path, page: str, text: str, status: str
) -> None:
    files = {page: "Widget\n======\n\nA library.\n\n" + text}
    if page != "README.rst":
        files["README.rst"] = "Widget\n======\n\nA library.\n"
    out = judge(tmp_path, files, "support_policy_documented")
    assert out["support_policy_documented"].status.value == status
    if status == "pass":
        assert where(out["support_policy_documented"]) == [f"{page}:6"]


# -- a "Development" section that speaks to contributors is a contribution guide

HACKING = (
    "Development\n***********\nGreat care must be taken when hacking on widget: CI runs the\n"
    "full test suite on each commit. Create a virtual environment and install widget in\n"
    "editable mode::\n\n    $ pip install -e .[dev]\n\nThen install pre-commit.\n"
)
STATUS = "Development\n***********\nWidget is stable and changes rarely.\n"


@pytest.mark.parametrize(
    ("page", "text", "status"),
    [
        ("docs/index.rst", HACKING, "pass"),
        ("README.rst", HACKING, "pass"),
        ("docs/index.rst", STATUS, "fail"),  # says nothing to contributors
        ("docs/usage.rst", HACKING, "fail"),  # another page: not read for it
    ],
)
def test_a_development_section_for_contributors_is_a_contribution_guide(
    tmp_path: Path, page: str, text: str, status: str
) -> None:
    files = {page: "Widget\n======\n\nA library.\n\n" + text}
    if page != "README.rst":
        files["README.rst"] = "Widget\n======\n\nA library.\n"
    out = judge(tmp_path, files, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == status
    if status == "pass":
        assert where(out["contributing_guide_present"]) == [f"{page}:6"]


# -- a section on failed CI jobs is not build instructions


@pytest.mark.parametrize(
    ("heading", "found"),
    [
        ("Resolving Build / CI Failures", False),
        ("Build failures", False),
        ("Building from source", True),
    ],
)
def test_a_section_on_failed_build_jobs_is_no_build_instructions(
    tmp_path: Path, heading: str, found: bool
) -> None:
    guide = (
        "# Contributing\n\nThank you.\n\n"
        f"## {heading}\n\nRun `scripts/check` to see what the check job saw.\n"
    )
    files = {"README.md": "# widget\n\nA library.\n", "CONTRIBUTING.md": guide}
    out = judge(tmp_path, files, "build_instructions_documented")
    assert ("CONTRIBUTING.md:5" in where(out["build_instructions_documented"])) is found
