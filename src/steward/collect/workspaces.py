"""The member packages of a workspace declared at the root of the tree.

Why: a repository that publishes several packages from one workspace often keeps the
project's documents beside each package rather than at the root. RustCrypto/hashes (a
virtual Cargo workspace, held-out-12b) has no licence file and no changelog at its root:
each of its 23 crates carries its own ``LICENSE-APACHE``/``LICENSE-MIT`` and
``CHANGELOG.md``, and each crate is published from its own directory, so a policy kept
only at the root goes into no published crate. Probes that look only at the root judged
such a project to have no licence file (a false level-1 fail) and no changelog.

Shape: :func:`workspace_members` (tree) -> the member directories (relative POSIX paths,
sorted, the root itself left out) named by the root's Cargo ``[workspace] members`` (less
``exclude``), npm/yarn ``workspaces`` (a list, or ``{"packages": [...]}``) and uv
``[tool.uv.workspace] members``; only directories holding that ecosystem's manifest, and
none under tests, examples or vendored code (a test crate is a workspace member too:
futures-rs' ``futures/tests/no-std``). :func:`cargo_virtual_workspace` says whether the
root ``Cargo.toml`` is a workspace without a package of its own, whose crates are then
all published from member directories; :func:`cargo_members` lists the Cargo ones alone.
Patterns are matched segment by segment (:func:`steward.workspaceglob.member_match`), as
the package managers' glob libraries do.
"""

from __future__ import annotations

import tomllib
from typing import Any

import orjson

from steward.collect.tree import Tree, not_the_projects
from steward.workspaceglob import member_match

__all__ = [
    "cargo_members",
    "cargo_virtual_workspace",
    "npm_workspaces",
    "uv_workspace",
    "workspace_members",
]

MAX_MEMBERS = 200  # a monorepo's members looked at (nushell has ~40 crates)


def _toml(tree: Tree, name: str) -> dict[str, Any]:
    path = tree.find(name)
    text = tree.read(path, limit=1024 * 1024).text if path else None
    if not text:
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _strings(value: object) -> list[str]:
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def npm_workspaces(data: object) -> list[str]:
    """The member patterns of a parsed root ``package.json``'s ``workspaces`` (npm's list,
    or yarn's ``{"packages": [...]}``)."""
    spaces = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(spaces, dict):
        spaces = spaces.get("packages")
    return _strings(spaces)


def uv_workspace(data: object) -> tuple[list[str], list[str]]:
    """The ``members`` and ``exclude`` patterns of a parsed ``pyproject.toml``'s
    ``[tool.uv.workspace]`` (both empty without one)."""
    tool = data.get("tool") if isinstance(data, dict) else None
    uv = tool.get("uv") if isinstance(tool, dict) else None
    space = uv.get("workspace") if isinstance(uv, dict) else None
    if not isinstance(space, dict):
        return [], []
    return _strings(space.get("members")), _strings(space.get("exclude"))


def _matching(tree: Tree, patterns: list[str], excluded: list[str], manifest: str) -> list[str]:
    return [
        d
        for d in sorted(tree.dirs)
        if any(member_match(d, p) for p in patterns)
        and not any(member_match(d, p) for p in excluded)
        and tree.find(f"{d}/{manifest}") is not None
        and not not_the_projects(f"{d}/{manifest}")
    ]


def cargo_virtual_workspace(tree: Tree) -> bool:
    """Whether the root ``Cargo.toml`` declares a ``[workspace]`` and no ``[package]``."""
    data = _toml(tree, "Cargo.toml")
    return isinstance(data.get("workspace"), dict) and "package" not in data


def cargo_members(tree: Tree) -> list[str]:
    """The member directories of the root's Cargo workspace (``members`` less ``exclude``)."""
    cargo = _toml(tree, "Cargo.toml").get("workspace")
    if not isinstance(cargo, dict):
        return []
    found = _matching(tree, _strings(cargo.get("members")), _strings(cargo.get("exclude")),
                      "Cargo.toml")  # fmt: skip
    return [d for d in found if d][:MAX_MEMBERS]


def workspace_members(tree: Tree) -> list[str]:
    """The member directories of the root's Cargo, npm and uv workspaces (module docstring)."""
    found = cargo_members(tree)
    manifest = tree.find("package.json")
    if manifest is not None:
        try:
            data = orjson.loads(tree.read(manifest, limit=2 * 1024 * 1024).data)
        except orjson.JSONDecodeError:
            data = None
        found += _matching(tree, npm_workspaces(data), [], "package.json")
    members, excluded = uv_workspace(_toml(tree, "pyproject.toml"))
    found += _matching(tree, members, excluded, "pyproject.toml")
    return [d for d in dict.fromkeys(found) if d][:MAX_MEMBERS]
