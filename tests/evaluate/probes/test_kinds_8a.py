"""Kinds met in the held-out-8a blind round (Python projects of the Pallets and PyPA
ecosystem: maintenance-branch marker tags, a compiled docs requirements file that names the
project itself, a README whose title is the project's name), each on a small self-written
repository collected from its files and judged by the probe."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes import run_probe
from steward.evaluate.probes.releases import release_kind
from tests.collect.gitrepo import commit, git, init, write
from tests.evaluate.probes.onrepo import where


def judge(root: Path, *probes: str) -> dict[str, ProbeOutcome]:
    facts = collect_facts(root)
    return {name: run_probe(name, facts) for name in probes}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("2.1.x", None),
        ("1.0.X", None),
        ("v3.0.x", None),
        ("2.1.x-maintenance", None),
        ("2.1.5", "release"),
        ("1.2.2.post1", "release"),
        ("2.0.0rc2", "pre-release"),
    ],
)
def test_a_maintenance_branch_marker_is_no_release(name: str, kind: str | None) -> None:
    assert release_kind(name) == kind


def test_branch_marker_tags_alone_are_no_releases(tmp_path: Path) -> None:
    """A project that tags its retired maintenance branches ("last 2.1.x maintenance") and
    nothing else has not tagged a release."""
    root = init(tmp_path / "r")
    commit(root, "first", {"README.md": "# widget\n"})
    git(root, "tag", "-a", "-m", "last 2.1.x maintenance", "2.1.x")
    git(root, "tag", "-a", "-m", "last 2.0.x maintenance", "2.0.x")
    out = judge(root, "releases_tagged", "release_tags_signed")
    assert out["releases_tagged"].status.value == "fail"
    assert "none looks like a version" in out["releases_tagged"].message
    assert out["release_tags_signed"].status.value == "not-applicable"
    git(root, "tag", "-a", "-m", "release 2.1.5", "2.1.5")
    out = judge(root, "releases_tagged", "release_tags_signed")
    assert out["releases_tagged"].status.value == "pass"
    assert [e.detail for e in out["release_tags_signed"].evidence] == ["tag 2.1.5: unsigned"]


def test_docs_requirements_naming_the_project_itself_are_pinned(tmp_path: Path) -> None:
    """``uv pip compile`` of docs/requirements.in writes the project as ``name @ file:.``:
    nothing is fetched; only the line that really floats is unpinned, at its own line."""
    root = tmp_path / "p"
    root.mkdir()
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "widget"\ndependencies = ["attrs"]\n',
            "uv.lock": "version = 1\n",
            "docs/requirements.in": "sphinx\nwidget @ file:.\n",
            "docs/requirements.txt": (
                "sphinx==8.1.0\n    # via -r docs/requirements.in\nwidget @ file:.\n"
            ),
        },
    )
    assert judge(root, "dependencies_pinned")["dependencies_pinned"].status.value == "pass"
    write(root, {"docs/requirements.txt": "sphinx==8.1.0\nwidget @ file:.\nfuro>=2024\n"})
    out = judge(root, "dependencies_pinned")["dependencies_pinned"]
    assert out.status.value == "fail"
    assert where(out) == ["docs/requirements.txt:3"]


def test_the_readme_title_is_no_build_section(tmp_path: Path) -> None:
    root = tmp_path / "b"
    root.mkdir()
    write(
        root,
        {
            "README.md": "# build\n\nA build frontend.\n\n## Usage\n\n    python -m build\n",
            "pyproject.toml": '[project]\nname = "build"\n',
        },
    )
    out = judge(root, "build_instructions_documented")["build_instructions_documented"]
    assert out.status.value == "pass"
    assert "README.md:1" not in where(out)
