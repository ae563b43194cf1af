"""Kinds the eleventh blind round's held-out-11h part (apache/arrow-nanoarrow,
eclipse/paho.mqtt.cpp, sindresorhus/meow) showed, each on a small self-written fixture: the
issue tracker that a C library's language bindings declare in their own package metadata
(``python/pyproject.toml`` ``[project.urls] Issues``, R's ``DESCRIPTION`` ``BugReports``)."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from steward.collect.metadata import ISSUES, project_links
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write

PYPROJECT = """[project]
name = "widget"
dependencies = []

[project.urls]
Homepage = "https://widget.example.org"
Issues = "https://forge.example.org/widget/issues"
"""
DESCRIPTION = """Package: widget
Title: Bindings to the Widget Library
Version: 1.0.0
URL: https://widget.example.org
BugReports: https://forge.example.org/widget/issues
Suggests:
    testthat (>= 3.0.0)
"""
# the same metadata where it is not the project's: an example package, a vendored copy,
# a test fixture, and a DESCRIPTION that is no R package (no Package: field)
NOT_THE_PROJECTS = {
    "examples/pyproject.toml": PYPROJECT,
    "thirdparty/pyproject.toml": PYPROJECT,
    "tests/DESCRIPTION": DESCRIPTION,
    "docs/DESCRIPTION": "BugReports: https://elsewhere.example.org/issues\n",
    "c/deep/er/pyproject.toml": PYPROJECT,
}


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_bindings_package_metadata_declares_the_issue_tracker(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "README.md": "# Widget\n\nA small C library.\n",
        "CMakeLists.txt": "project(widget C)\n",
        "python/pyproject.toml": PYPROJECT,
        "r/DESCRIPTION": DESCRIPTION,
        **NOT_THE_PROJECTS,
    }
    write(tmp_path, files)
    links = [(k.kind, k.path, k.line) for k in project_links(walk(tmp_path))]
    # only the issue trackers of the nested packages, each at its own line
    assert links == [(ISSUES, "python/pyproject.toml", 7), (ISSUES, "r/DESCRIPTION", 5)]
    docs = _docs(tmp_path, files)
    assert _at(docs.bug_reporting) == ["python/pyproject.toml:7", "r/DESCRIPTION:5"]


def test_root_r_package_bug_reports_field(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"README.md": "# widget\n\nAn R package.\n"}
    files["DESCRIPTION"] = DESCRIPTION
    docs = _docs(tmp_path, files)
    assert _at(docs.bug_reporting) == ["DESCRIPTION:5"]


def test_no_tracker_declared_anywhere_is_no_bug_reporting(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "README.md": "# Widget\n\nA small C library.\n",
        "python/pyproject.toml": '[project]\nname = "widget"\n',
        "r/DESCRIPTION": "Package: widget\nVersion: 1.0.0\n",
        **NOT_THE_PROJECTS,
    }
    assert _docs(tmp_path, files).bug_reporting == ()
