"""Document kinds the tenth blind round (held-out-10a: pallets/quart) showed, on small
self-written fixtures: a contribution guide's set-up step that installs dependencies is no
dependency policy; a section on choosing or updating dependencies still is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.documents import collect_docs, collect_insights, collect_policy
from steward.collect.facts import Docs
from steward.collect.tree import walk
from tests.collect.gitrepo import write

_README = "# widget\n\nTimes small functions.\n"


def _docs(root: Path, contributing: str) -> Docs:
    write(root, {"README.md": _README, "CONTRIBUTING.md": contributing})
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy)


@pytest.mark.parametrize(
    "heading",
    [
        "Install Development Dependencies",
        "Installing dependencies",
        "Set up the build dependencies",
        "System dependencies",
        "Dev dependencies",
    ],
)
def test_setup_step_naming_dependencies_is_no_policy(tmp_path: Path, heading: str) -> None:
    guide = (
        "# Contributing to widget\n\n## Fork and clone\n\nFork the repository.\n\n"
        f"## {heading}\n\nCreate a virtualenv, then run `pip install -e .[dev]`.\n"
    )
    assert _docs(tmp_path, guide).dependency_policy == ()


@pytest.mark.parametrize(
    "heading", ["Adding a new dependency", "Dependencies", "Updating third-party dependencies"]
)
def test_section_on_choosing_dependencies_is_a_policy(tmp_path: Path, heading: str) -> None:
    guide = (
        "# Contributing to widget\n\n## Fork and clone\n\nFork the repository.\n\n"
        f"## {heading}\n\nNew dependencies need a maintainer's approval and a licence check.\n"
    )
    found = _docs(tmp_path, guide).dependency_policy
    assert [(f.source.path, f.source.line) for f in found] == [("CONTRIBUTING.md", 7)]
