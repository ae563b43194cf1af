"""Workspace member patterns match segment by segment (npm's glob, Cargo's and uv's): ``*``
never crosses ``/``, ``**`` spans directories. ``fnmatch`` let ``workspaces/*`` take any
package.json below, so a nested package outside the workspaces passed as covered by the root
lockfile (issue 9, item 7) and test fixtures of npm/cli were taken for published packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect import collect_facts
from steward.evaluate.probes.base import run_probe
from steward.workspaceglob import member_match
from tests.collect.gitrepo import write


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("packages/a", "packages/*", True),
        ("packages/a/tools/b", "packages/*", False),
        ("crates", "crates/**", True),
        ("crates/a/b", "crates/**", True),
        ("a/b", "a/**/b", True),
        ("a/x/y/b", "a/**/b", True),
        ("docs", "./docs/", True),
        ("docs", "!docs", False),
        ("lib-a", "lib-?", True),
        ("lib-ab", "lib-?", False),
    ],
)
def test_member_match(path: str, pattern: str, expected: bool) -> None:
    assert member_match(path, pattern) is expected


def test_nested_package_outside_the_workspaces_needs_its_own_lockfile(tmp_path: Path) -> None:
    write(tmp_path, {
        "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*"]}\n',
        "package-lock.json": '{"lockfileVersion": 3, "packages": {}}\n',
        "packages/a/package.json": '{"name": "a", "dependencies": {"x": "1"}}\n',
        "packages/a/tools/b/package.json": '{"name": "b", "dependencies": {"y": "1"}}\n',
    })  # fmt: skip
    out = run_probe("lockfiles_present", collect_facts(tmp_path))
    assert out.status.value == "fail"
    assert [e.source for e in out.evidence] == ["packages/a/tools/b/package.json"]
