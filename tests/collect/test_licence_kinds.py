"""Licence values the SPDX library cannot tokenise (held-out-7e, sharkdp/hexyl): Cargo's
deprecated ``license = "MIT/Apache-2.0"`` made license-expression raise AttributeError inside
its own validation, and the whole assessment stopped with an internal error. Such a value is
no SPDX expression (None), and Cargo's ``/`` means any of the licences."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.documents import collect_licenses, parse_expression
from steward.collect.run import collect_facts
from steward.collect.tree import walk
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

CARGO = """\
[package]
name = "widget"
version = "0.1.0"
license = "MIT/Apache-2.0"
"""


@pytest.mark.parametrize("value", ["MIT/Apache-2.0", "MIT; BSD-3-Clause", "GPL-2.0 / MIT", "MIT,"])
def test_untokenisable_value_is_no_expression(value: str) -> None:
    assert parse_expression(value) is None


def test_cargo_slash_means_either(tmp_path: Path) -> None:
    write(tmp_path, {"Cargo.toml": CARGO})
    licences, problems = collect_licenses(walk(tmp_path))
    assert problems == []
    assert [(lic.source.path, lic.source.line, lic.spdx) for lic in licences] == [
        ("Cargo.toml", 4, "MIT OR Apache-2.0")
    ]


def test_pyproject_with_an_odd_licence_value_is_assessed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "w"\nlicense = "MIT; see LICENSE"\n',
            "README.md": "# w\n",
        },
    )
    facts = collect_facts(tmp_path)  # raised AttributeError before
    assert run_probe("license_osi_approved", facts).status.value in ("fail", "unknown")


# Siblings in the hobby family: a licence declared only in words. Before, a project whose
# only licence statement was setup.py's ``license="MIT License"`` or its README's License
# section got "no licence found" (a false fail of license_osi_approved).


def _licence_verdicts(root: Path) -> tuple[str, str, list[str]]:
    facts = collect_facts(root)
    osi = run_probe("license_osi_approved", facts)
    present = run_probe("license_file_present", facts)
    where = [f"{e.source}:{e.line}" for e in osi.evidence]
    return present.status.value, osi.status.value, where


def test_readme_licence_section_is_a_declaration_not_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "README.md": "# widget\n\n[![License: GPL](https://img.shields.io/x)](x)\n\n"
            "## Usage\n\nwidget FILE\n\n## License\n\nMIT\n",
        },
    )
    assert _licence_verdicts(tmp_path) == ("fail", "pass", ["README.md:11"])


def test_rst_readme_licence_section(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"README.rst": "widget\n======\n\nLicense\n-------\n\nApache License, Version 2.0\n"},
    )
    assert _licence_verdicts(tmp_path) == ("fail", "pass", ["README.rst:7"])


def test_licence_named_only_in_a_badge_is_no_declaration(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "# widget\n\n![MIT](https://img.shields.io/badge/license-MIT)\n"})
    assert _licence_verdicts(tmp_path) == ("fail", "fail", [])


@pytest.mark.parametrize(
    ("name", "text", "spdx", "line"),
    [
        (
            "setup.py",
            'from setuptools import setup\nsetup(\n    name="w",\n    license="MIT License",\n)\n',
            "MIT",
            4,
        ),
        ("setup.py", "setup(name='w', license='Apache 2.0')\n", "Apache-2.0", 1),
        (
            "setup.cfg",
            "[metadata]\nname = w\nlicense = BSD 3-Clause\nlicense_files = LICENSE\n",
            "BSD-3-Clause",
            3,
        ),
        (
            "composer.json",
            '{"name": "a/w", "license": ["MIT", "GPL-3.0-or-later"]}\n',
            "MIT OR GPL-3.0-or-later",
            1,
        ),
        ("composer.json", '{\n  "name": "a/w",\n  "license": "MIT"\n}\n', "MIT", 3),
        (
            "pyproject.toml",
            '[project]\nname = "w"\nlicense = {text = "Apache License 2.0"}\n',
            "Apache-2.0",
            3,
        ),
    ],
)
def test_manifest_licence_in_words(
    tmp_path: Path, name: str, text: str, spdx: str, line: int
) -> None:
    write(tmp_path, {name: text})
    licences, _ = collect_licenses(walk(tmp_path))
    assert [(lic.source.path, lic.source.line, lic.spdx, lic.how) for lic in licences] == [
        (name, line, spdx, "manifest")
    ]


def test_versionless_name_is_not_guessed(tmp_path: Path) -> None:
    write(tmp_path, {"setup.py": 'setup(name="w", license="BSD")\n'})
    assert _licence_verdicts(tmp_path)[1] == "unknown"
