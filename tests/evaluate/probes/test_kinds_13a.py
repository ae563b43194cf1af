"""Kinds met in the held-out-13a blind round (hukkin/tomli, pytest-dev/iniconfig,
python-jsonschema/referencing), each on a small self-written repository collected from its
files (``collect_facts``) and judged by the probe, with the evidence at the exact file and
line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- an e-mail address written out with each part quoted as code: "`sec` at `example.org`"

CONTACT_PROBES = (
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
)


@pytest.mark.parametrize(
    "sentence",
    [
        "please send an email to `Widget+Security` at `Example.org` with subject SECURITY.",
        'please write to "security" at "widget.example.org".',
        "please send an e-mail to security at widget.example.org.",
    ],
)
def test_an_address_written_out_with_quoted_parts_is_a_private_contact(
    tmp_path: Path, sentence: str
) -> None:
    policy = f"# Security Policy\n\n## Reporting\n\nTo report a vulnerability, {sentence}\n"
    out = judge(tmp_path, {".github/SECURITY.md": policy}, *CONTACT_PROBES)
    for probe in CONTACT_PROBES[:3]:
        assert out[probe].status.value == "pass", probe
        assert where(out[probe]) == [".github/SECURITY.md:5"], probe
    # e-mail is the method, and no key is published
    assert out["report_encryption_key"].status.value == "fail"


@pytest.mark.parametrize(
    "sentence",
    [
        "Have a look at docs.widget.org for the details.",
        "We looked `closely` at `setup.py` before the release.",
        "Open an issue; mail is not read. Look at widget.org first.",
    ],
)
def test_prose_with_at_and_a_domain_is_no_contact(tmp_path: Path, sentence: str) -> None:
    policy = f"# Security Policy\n\n## Reporting\n\n{sentence}\n"
    out = judge(tmp_path, {"SECURITY.md": policy}, "security_policy_private_contact")
    assert out["security_policy_private_contact"].status.value == "fail"


# -- ``hatch run env:script``: the script of the hatch environment, followed to its line

HATCH_WORKFLOW = """on: [push, pull_request]
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
    - run: python -m pip install hatch==1.14.0
    - run: hatch run +py=${{ matrix.python }} test:default --color=yes
"""

HATCH_PYPROJECT = """[project]
name = "widget"

[tool.hatch.envs.default.scripts]
default = "sphinx-build docs out"

[tool.hatch.envs.test]
dependencies = ["pytest"]
[tool.hatch.envs.test.scripts]
default = "pytest {args}"

[tool.hatch.envs.lint.scripts]
check = ["ruff check .", "mypy src"]
"""


def test_hatch_run_follows_the_environments_script(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {
            ".github/workflows/ci.yml": HATCH_WORKFLOW,
            "pyproject.toml": HATCH_PYPROJECT,
            "tests/test_w.py": "def test_w():\n    assert True\n",
        },
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == ["pyproject.toml:10"]


@pytest.mark.parametrize(
    ("run", "status"),
    [
        ("hatch run lint:check", "fail"),  # a script that lints
        ("hatch run test:pytest -x", "pass"),  # no such script: the command itself
    ],
)
def test_hatch_run_judges_what_the_script_or_command_runs(
    tmp_path: Path, run: str, status: str
) -> None:
    workflow = HATCH_WORKFLOW.replace(
        "hatch run +py=${{ matrix.python }} test:default --color=yes", run
    )
    out = judge(
        tmp_path,
        {
            ".github/workflows/ci.yml": workflow,
            "pyproject.toml": HATCH_PYPROJECT,
            "tests/test_w.py": "def test_w():\n    assert True\n",
        },
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value == status


# -- gh-action-pypi-publish with an API token uploads without attestations

PUBLISH_WORKFLOW = """on: {release: {types: [published]}}
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
    - run: python -m build
    - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
%s
"""


@pytest.mark.parametrize(
    ("with_", "status"),
    [
        ("      with:\n        password: ${{ secrets.pypi_password }}", "unknown"),
        ("      with:\n        user: __token__\n        password: ${{ secrets.TOKEN }}", "unknown"),
        ("      with:\n        print-hash: true", "pass"),  # trusted publishing: attested
    ],
)
def test_a_token_upload_to_pypi_generates_no_provenance(
    tmp_path: Path, with_: str, status: str
) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/release.yml": PUBLISH_WORKFLOW % with_},
        "release_provenance",
    )
    assert out["release_provenance"].status.value == status
    if status == "pass":
        assert where(out["release_provenance"]) == [".github/workflows/release.yml:9"]


# -- a setup.py that only builds (no install_requires) declares nothing to lock

BUILD_ONLY_SETUP = """import os
from setuptools import setup

setup(ext_modules=[] if os.environ.get("PURE") else ["compiled"])
"""


@pytest.mark.parametrize(
    ("setup_py", "status"),
    [
        (BUILD_ONLY_SETUP, "pass"),
        ('from setuptools import setup\nsetup(install_requires=["attrs>=22"])\n', "fail"),
        ('from setuptools import setup\nsetup(extras_require={"x": ["attrs"]})\n', "fail"),
    ],
)
def test_a_setup_py_without_dependencies_needs_no_lockfile(
    tmp_path: Path, setup_py: str, status: str
) -> None:
    pyproject = '[project]\nname = "widget"\nversion = "1.0"\n'
    out = judge(
        tmp_path,
        {"pyproject.toml": pyproject, "setup.py": setup_py},
        "lockfiles_present",
        "dependency_manifest_present",
    )
    assert out["lockfiles_present"].status.value == status
    assert out["dependency_manifest_present"].status.value == "pass"


# -- an end-of-life sentence about the interpreter, wrapped over lines, is no support policy


@pytest.mark.parametrize(
    ("paragraph", "status"),
    [
        (
            "Widget continues to provide a backport on PyPI for Python versions\n"
            "where the standard library module is not available\n"
            "and that have not yet reached their end-of-life.\n",
            "fail",
        ),
        ("Widget 1.x reached its end-of-life in 2024; only 2.x gets fixes.\n", "pass"),
        # a table row stands alone: the interpreter's column after the match is not its subject
        (
            "| Version | Status | PHP Version |\n|---|---|---|\n"
            "| 1.x | EOL (2016-10-31) | >=5.3 |\n",
            "pass",
        ),
    ],
)
def test_an_interpreters_end_of_life_is_no_support_policy(
    tmp_path: Path, paragraph: str, status: str
) -> None:
    readme = f"# Widget\n\n## Intro\n\nWidget parses things.\n{paragraph}\n## Usage\n\nCall it.\n"
    out = judge(tmp_path, {"README.md": readme}, "support_policy_documented")
    assert out["support_policy_documented"].status.value == status
    if status == "pass":
        assert {"README.md:6", "README.md:8"} & set(where(out["support_policy_documented"]))


# -- a licence-header template (pre-commit insert-license's LICENSE-HEADER) is no licence file

MIT_TEXT = (Path(__file__).parents[2] / "data" / "repos" / "licenses" / "MIT").read_text()


@pytest.mark.parametrize("template", ["LICENSE-HEADER", "license_header.txt"])
def test_a_licence_header_template_is_no_licence_file(tmp_path: Path, template: str) -> None:
    header = "SPDX-License-Identifier: MIT\nSPDX-FileCopyrightText: 2021 A. Person\n"
    out = judge(
        tmp_path,
        {"LICENSE": MIT_TEXT, template: header},
        "license_file_present",
        "license_osi_approved",
    )
    for probe in ("license_file_present", "license_osi_approved"):
        assert out[probe].status.value == "pass"
        assert not [e for e in out[probe].evidence if e.source == template], probe


# -- "Building a <thing>" with the library is a usage guide, not the project's build


@pytest.mark.parametrize(
    ("heading", "found"),
    [
        ("Building a `widget`/`gadget` compatibility layer", False),
        ("Building a plugin", False),
        ("Building a wheel", True),
        ("Building a Debian/Ubuntu package", True),
        ("Building from source", True),
    ],
)
def test_building_something_with_the_library_is_no_build_section(
    tmp_path: Path, heading: str, found: bool
) -> None:
    readme = f"# Widget\n\n## Usage\n\nCall it.\n\n### {heading}\n\nSome words.\n"
    out = judge(tmp_path, {"README.md": readme}, "build_instructions_documented")
    assert ("README.md:7" in where(out["build_instructions_documented"])) is found


@pytest.mark.parametrize(
    ("setup_cfg", "status"),
    [
        ("[options]\ninstall_requires =\n  attrs >= 22\npackages = find:\n", "fail"),
        ("[options]\ninstall_requires = attrs\n", "fail"),
        ("[options]\ninstall_requires =\npackages = find:\n", "pass"),
    ],
)
def test_a_build_only_setup_py_declares_the_setup_cfg_dependencies(
    tmp_path: Path, setup_cfg: str, status: str
) -> None:
    out = judge(
        tmp_path,
        {"setup.py": BUILD_ONLY_SETUP, "setup.cfg": setup_cfg},
        "lockfiles_present",
    )
    assert out["lockfiles_present"].status.value == status
