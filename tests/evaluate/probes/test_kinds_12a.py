"""Kinds met in the held-out-12a blind round (pypa/pipx, python-attrs/cattrs,
aio-libs/multidict), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.commands import normalise, unpinned_install
from steward.collect.reporting import covers
from steward.collect.shell import commands
from tests.evaluate.probes.onrepo import judge, where

# -- a supported-versions statement in the active voice, under a heading of its own name


CALVER_POLICY = """# Security Policy

## Versioning and Backwards Compatibility

_widget_ follows CalVer and we only support the latest PyPI version, due to limited resources.
Minor breaking changes may be made to improve the developer experience and robustness.

## Security Contact Information

To report a security vulnerability, please e-mail security@widget.example.org.
"""


def test_we_only_support_the_latest_version_states_the_supported_versions(
    tmp_path: Path,
) -> None:
    out = judge(
        tmp_path,
        {".github/SECURITY.md": CALVER_POLICY},
        "security_policy_supported_versions",
        "support_policy_documented",
    )
    assert out["security_policy_supported_versions"].status.value == "pass"
    assert where(out["security_policy_supported_versions"]) == [".github/SECURITY.md:5"]
    assert out["support_policy_documented"].status.value == "pass"
    assert ".github/SECURITY.md:5" in where(out["support_policy_documented"])


@pytest.mark.parametrize(
    "sentence",
    [
        "We support the latest Python version and the one before it.",  # the interpreter
        "This library supports the current Django releases.",
    ],
)
def test_supporting_a_platforms_versions_is_no_support_policy(
    tmp_path: Path, sentence: str
) -> None:
    policy = f"# Security\n\nSome words.\n\n{sentence}\n\nE-mail security@widget.example.org.\n"
    out = judge(tmp_path, {"SECURITY.md": policy}, "security_policy_supported_versions")
    assert out["security_policy_supported_versions"].status.value == "fail"


# -- a README section headed "Design Decisions" is design documentation


def test_a_readme_design_decisions_section_documents_the_design(tmp_path: Path) -> None:
    readme = (
        "# widget\n\nConverts things.\n\n## Design Decisions\n\n"
        "_widget_ is based on a few fundamental design decisions: rules are kept apart from\n"
        "the models, so that one model can have many rules and rules can be written for\n"
        "models you do not own; ordinary Python is reused instead of inventing new concepts;\n"
        "and the library refuses to guess where two ways of solving a problem exist.\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "design_documented")
    assert out["design_documented"].status.value == "pass"
    assert where(out["design_documented"]) == ["README.md:5"]


# -- hatch's sdist include list is read with gitignore's rules: "/*.md" is the top level's
#    Markdown, so .github/SECURITY.md is not in the sdist


HATCH_DOTTED = """[build-system]
build-backend = "hatchling.build"
requires = ["hatchling"]

[project]
name = "widget"
version = "1.0"

[tool.hatch]
build.targets.sdist.include = [
  "/*.md",
  "/src",
]
"""


def test_an_anchored_glob_does_not_take_in_a_policy_below_the_root(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": HATCH_DOTTED,
        ".github/SECURITY.md": "# Security\n\nE-mail security@widget.example.org.\n",
        "src/widget/__init__.py": "",
    }
    out = judge(tmp_path, files, "policy_in_distributed_source")
    assert out["policy_in_distributed_source"].status.value == "fail"
    assert "pyproject.toml:10" in where(out["policy_in_distributed_source"])


def test_an_anchored_glob_takes_in_a_policy_at_the_root(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": HATCH_DOTTED,
        "SECURITY.md": "# Security\n\nE-mail security@widget.example.org.\n",
        "src/widget/__init__.py": "",
    }
    out = judge(tmp_path, files, "policy_in_distributed_source")
    assert out["policy_in_distributed_source"].status.value == "pass"


@pytest.mark.parametrize(
    ("pattern", "path", "taken"),
    [
        ("/*.md", ".github/SECURITY.md", False),
        ("/*.md", "SECURITY.md", True),
        ("*.md", ".github/SECURITY.md", True),  # no slash: a name at any depth
        ("docs/*.md", "docs/SECURITY.md", True),
        ("docs/*.md", "docs/policy/SECURITY.md", False),
        ("docs/*", "docs/policy/SECURITY.md", True),  # the directory docs/policy
        ("docs/**/*.md", "docs/policy/SECURITY.md", True),
        ("**/SECURITY.md", ".github/SECURITY.md", True),
        ("/.github", ".github/SECURITY.md", True),
        ("SECURITY.[mt]*", "SECURITY.md", True),
        ("/src", ".github/SECURITY.md", False),
    ],
)
def test_include_patterns_follow_gitignores_rules(pattern: str, path: str, taken: bool) -> None:
    assert covers(pattern, path) is taken


def test_manifest_in_include_is_anchored_at_the_root(tmp_path: Path) -> None:
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='widget')\n",
        "MANIFEST.in": "include *.md\ninclude LICENSE\n",
        ".github/SECURITY.md": "# Security\n\nE-mail security@widget.example.org.\n",
    }
    out = judge(tmp_path, files, "policy_in_distributed_source")
    assert out["policy_in_distributed_source"].status.value == "fail"


# -- the interpreter's options before -m (python -Im pip), pytest's -m, pip --no-index


def _argv(line: str) -> list[str]:
    return normalise(commands(line)[0])


@pytest.mark.parametrize(
    ("line", "argv0"),
    [
        ("python -Im pip install build", "pip"),
        ("python -X utf8 -u -I -m pip install build", "pip"),
        ("python3.14t -B -m pip install build", "pip"),
        ("python -m pip install build", "pip"),
        ('pytest -m "not leaks" tests', "pytest"),
        ("python -c 'print(1)'", "python"),
        ("python setup.py test", "python"),
    ],
)
def test_interpreter_options_before_the_module(line: str, argv0: str) -> None:
    assert _argv(line)[0] == argv0


def test_pip_without_an_index_or_installing_nothing_fetches_nothing() -> None:
    local = "pip install --find-links=./dist --no-index widget --force-reinstall --no-deps"
    assert unpinned_install(_argv(local)) is None
    assert unpinned_install(_argv("pip install widget --dry-run --report=-")) is None
    assert unpinned_install(_argv("python -Im pip install build")) is not None


CI_CD = """name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8
    - name: Install core libraries for build
      run: python -Im pip install build
    - name: Find the wheel
      run: >
        python -X utf8 -u -I -m pip install --find-links=./dist --no-index widget
        --force-reinstall --no-deps --only-binary=:all: --dry-run --report=-
    - run: python -Im pytest tests -v
"""


def test_python_with_run_together_options_installs_unpinned(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": CI_CD, "tests/test_a.py": "def test_a():\n    pass\n"}
    out = judge(tmp_path, files, "dependencies_pinned", "tests_run_in_ci")
    assert out["dependencies_pinned"].status.value == "fail"
    assert where(out["dependencies_pinned"]) == [".github/workflows/ci.yml:11"]
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:16"]


# -- requirement files in a requirements/ directory have their lines read for pins


def test_requirements_directory_files_are_read_for_pins(tmp_path: Path) -> None:
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='widget')\n",
        "requirements/pytest.txt": 'cffi<2.0.0;python_version<"3.14"\npytest==9.1.1\n',
        "requirements/doc.txt": "-r towncrier.txt\nsphinx==8.2.3\nsphinxcontrib-towncrier\n",
        "requirements/towncrier.txt": "towncrier==25.8.0\n",
        "requirements/ci.txt": "-e .\n-r pytest.txt\n",
        "tests/requirements/fixture.txt": "anything\n",  # a test fixture, not the project's
    }
    out = judge(tmp_path, files, "dependencies_pinned")
    assert out["dependencies_pinned"].status.value == "fail"
    assert sorted(where(out["dependencies_pinned"])) == [
        "requirements/doc.txt:3",
        "requirements/pytest.txt:1",
    ]


# -- tox exec runs the command after --, not the environment's test commands; nox without a
#    noxfile runs nothing; ruff format is no analysis

TOX_TOML = """env_list = ["3.14"]

[env_run_base]
commands = [["pytest", "tests"]]
"""
SEED = """name: tests
on: [push]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8
      - run: tox exec -e 3.14 -- python scripts/update_cache.py
      - run: nox --session test_all_packages-3.12
      - run: tox run -e 3.14
"""


def test_tox_exec_and_nox_without_a_noxfile_run_no_tests(tmp_path: Path) -> None:
    files = {
        ".github/workflows/tests.yml": SEED,
        "tox.toml": TOX_TOML,
        "scripts/update_cache.py": "print('seeding')\n",
        "tests/test_a.py": "def test_a():\n    pass\n",
    }
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == [".github/workflows/tests.yml:12"]


def test_nox_with_its_noxfile_still_runs_the_session(tmp_path: Path) -> None:
    files = {
        ".github/workflows/tests.yml": SEED.replace("      - run: tox run -e 3.14\n", ""),
        "noxfile.py": "import nox\n\n@nox.session\ndef test_all_packages(session):\n"
        "    session.run('pytest')\n",
        "tests/test_a.py": "def test_a():\n    pass\n",
    }
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert where(out["tests_run_in_ci"]) == [".github/workflows/tests.yml:11"]


JUSTFILE = """lint:
\tuv run ruff check src/ tests
\tuv run ruff format --check src tests
"""
LINT = """name: CI
on: [push]
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8
      - run: just lint
"""


def test_ruff_format_is_no_static_analysis(tmp_path: Path) -> None:
    files = {
        ".github/workflows/main.yml": LINT,
        "Justfile": JUSTFILE,
        "pyproject.toml": '[project]\nname = "w"\n\n[tool.ruff.lint]\nselect = ["E", "S"]\n',
    }
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == "pass"
    assert "Justfile:3" not in where(out["sast_configured"])
    assert "Justfile:2" in where(out["sast_configured"])


# -- the contribution process written down only in the guide for coding agents

AGENTS = """# Notes for coding agents

## What this project is

A small mapping library with two implementations.

## Pull request rules

### 1. Use the pull request template

Fill in every section of the template: what the change does, whether users see a change in
behaviour, and the related issue number. Keep the description short and factual.

### 2. Add a change note

Every pull request adds a fragment to the CHANGES directory named after the pull request
number and the kind of change, written for the users of the library, not for reviewers.

### 3. Push from a fork

Open the pull request from a branch of your fork, never from a branch of this repository,
and leave it a draft until the tests pass on both implementations.

## Code style

Run the linters before pushing.
"""


def test_an_agent_guides_pull_request_rules_are_a_contribution_guide(tmp_path: Path) -> None:
    files = {
        "README.md": "# widget\n\nA mapping.\n",
        "AGENTS.md": AGENTS,
        "CLAUDE.md": "@AGENTS.md\n",
    }
    out = judge(tmp_path, files, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "pass"
    assert where(out["contributing_guide_present"]) == ["AGENTS.md:7"]


def test_an_agent_guide_without_a_process_is_no_contribution_guide(tmp_path: Path) -> None:
    short = "# Notes for agents\n\n## Pull requests\n\nKeep them small.\n\n## Style\n\nRun ruff.\n"
    out = judge(tmp_path, {"README.md": "# w\n", "AGENTS.md": short}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "fail"
