"""Kinds the fifteenth blind round's held-out-15a part (pallets/jinja, pypa/wheel,
aio-libs/yarl) showed, on small self-written fixtures."""

from __future__ import annotations

from pathlib import Path

from steward.collect.deps import collect_dependencies
from steward.collect.documents import collect_docs, collect_insights, collect_policy
from steward.collect.facts import Docs
from steward.collect.tree import walk
from steward.evaluate.model import ProbeStatus
from tests.collect.gitrepo import write
from tests.evaluate.probes.factsbuilder import make_facts, run

# setuptools' declarative configuration holds the project's dependencies; the pyproject.toml
# beside it only names the build backend (no [project] table), and there is no setup.py
DECLARATIVE_SETUP_CFG = (
    "[metadata]\nname = example\nversion = 1.0\n\n"
    "[options]\npackages = example\ninstall_requires =\n  idna >= 2.0\n  multidict >= 4.0\n"
)
BUILD_SYSTEM_ONLY = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
)


def _paths(findings: tuple[object, ...]) -> list[str]:
    return [f.source.path for f in findings]  # type: ignore[attr-defined]


def test_declarative_setup_cfg_without_setup_py_is_a_manifest_to_lock(tmp_path: Path) -> None:
    """yarl's setup.cfg ``[options] install_requires`` with no setup.py: the dependencies
    come from a registry and nothing pins them (only pyproject.toml, which declares none,
    was read as a manifest, so "every manifest has a lockfile" passed)."""
    write(tmp_path, {"setup.cfg": DECLARATIVE_SETUP_CFG, "pyproject.toml": BUILD_SYSTEM_ONLY})
    deps = collect_dependencies(walk(tmp_path))
    assert "setup.cfg" in _paths(deps.manifests)
    assert _paths(deps.unlocked_manifests) == ["setup.cfg"]
    outcome = run("lockfiles_present", make_facts(dependencies=deps))
    assert outcome.status == ProbeStatus.FAIL


def test_declarative_setup_cfg_siblings_stay_as_they_were(tmp_path: Path) -> None:
    """Beside a setup.py the setup.cfg is read as part of that manifest (one manifest, not
    two); a setup.cfg of tool settings only ([flake8]) is no manifest; a pinned
    requirements.txt beside a declarative setup.cfg locks it, as it locks a setup.py."""
    beside = tmp_path / "beside"
    write(
        beside,
        {"setup.cfg": DECLARATIVE_SETUP_CFG, "setup.py": "from setuptools import setup\nsetup()\n"},
    )
    deps = collect_dependencies(walk(beside))
    assert _paths(deps.manifests) == ["setup.py"]
    assert _paths(deps.unlocked_manifests) == ["setup.py"]

    tools = tmp_path / "tools"
    write(
        tools,
        {"setup.cfg": "[flake8]\nmax-line-length = 100\n", "pyproject.toml": BUILD_SYSTEM_ONLY},
    )
    assert "setup.cfg" not in _paths(collect_dependencies(walk(tools)).manifests)

    locked = tmp_path / "locked"
    write(
        locked,
        {
            "setup.cfg": DECLARATIVE_SETUP_CFG,
            "requirements.txt": "idna==3.10\nmultidict==6.7.1\n",
        },
    )
    deps = collect_dependencies(walk(locked))
    assert "setup.cfg" in _paths(deps.manifests)
    assert deps.unlocked_manifests == ()


DEVELOPMENT_PAGE = (
    "Development\n===========\n\n"
    "Pull Requests\n-------------\n\n"
    "- Submit Pull Requests against the ``main`` branch.\n"
    "- Provide tests that cover your changes.\n\n"
    "Running Tests Locally\n---------------------\n\nRun ``tox``.\n"
)


def _docs(root: Path, files: dict[str, str | bytes]) -> Docs:
    write(root, files)
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy)


def test_documentation_page_named_development_for_contributors_is_a_guide(
    tmp_path: Path,
) -> None:
    """wheel's docs/development.rst ("Development": pull requests, running the tests, getting
    involved) is its contribution guide; only pages named a "development guide" were looked
    at, so the project had none (a false level-1 fail)."""
    docs = _docs(
        tmp_path,
        {"README.rst": "wheel\n=====\n\nA tool.\n", "docs/development.rst": DEVELOPMENT_PAGE},
    )
    assert [f.source.path for f in docs.contributing] == ["docs/development.rst"]
    assert run("contributing_guide_present", make_facts(docs=docs)).status == ProbeStatus.PASS


def test_documentation_page_named_development_not_for_contributors_is_none(
    tmp_path: Path,
) -> None:
    """A page named "development" that speaks of the project's state or of developing with
    the library (not of changing the project) is no contribution guide."""
    page = "Development\n===========\n\nThe project is in beta; the API may still change.\n"
    docs = _docs(tmp_path, {"README.rst": "lib\n===\n\nA library.\n", "docs/development.md": page})
    assert docs.contributing == ()
