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
