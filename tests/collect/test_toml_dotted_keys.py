"""TOML keys in the dotted spellings pyproject-fmt writes (held-out-7b, tox-dev/filelock): the
line of ``[tool.hatch] build.targets.sdist.include`` is its own, not the first ``include`` of
the file (a dependency group's ``include-group``); ``[project] urls.Tracker`` is a project
link at its line."""

from __future__ import annotations

from pathlib import Path

from steward.collect.metadata import line_in_table, project_links
from steward.collect.tree import walk
from tests.collect.gitrepo import write

PYPROJECT = """\
[build-system]
build-backend = "hatchling.build"
requires = ["hatchling"]

[project]
name = "lock"
urls.Documentation = "https://lock.readthedocs.io"
urls."Tracker" = "https://github.com/o/lock/issues"

[dependency-groups]
dev = [
  { include-group = "test" },
]
test = ["pytest"]

[tool.hatch]
build.targets.sdist.include = [
  "/src",
]
"""


def test_dotted_keys_are_found_at_their_own_line() -> None:
    assert line_in_table(PYPROJECT, "tool.hatch.build.targets.sdist", "include") == 17
    assert line_in_table(PYPROJECT, "project.urls", "Tracker") == 8
    assert line_in_table(PYPROJECT, "project", "name") == 6
    assert line_in_table("tool.x.y = 1\n[tool]\nx.z = 2\n", "tool.x", "y") == 1
    assert line_in_table("tool.x.y = 1\n[tool]\nx.z = 2\n", "tool.x", "z") == 3
    # a key of another table is not it
    assert line_in_table(PYPROJECT, "tool.hatch.build.targets.wheel", "include") is None


def test_dotted_project_urls_are_project_links(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": PYPROJECT})
    links = {link.label: link.line for link in project_links(walk(tmp_path))}
    assert links == {"Documentation": 7, "Tracker": 8}
