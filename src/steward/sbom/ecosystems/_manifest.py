"""The project manifest beside a lockfile: the project's name, version and direct dependencies.

A lockfile records what was resolved; the manifest next to it (``package.json``,
``composer.json``, ``Cargo.toml``, ``pyproject.toml``) records what the project asked for. The
parsers take direct dependencies from here when the manifest is present (rather than guessing
from "nothing else depends on it"), and the assembler takes the root component's name and
version from here. A manifest that cannot be read is treated as absent: the lockfile is what
the SBOM is built from, and its parser reports its own problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict, loads_json, read_bytes
from steward.sbom.scanroot import is_outside

MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@dataclass
class Manifest:
    """What a manifest says: ``runtime``/``dev``/``optional`` map dependency names to specs."""

    path: Path
    name: str | None = None
    version: str | None = None
    runtime: dict[str, str] = field(default_factory=dict)
    dev: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    #: package.json ``resolutions``/``overrides`` (yarn/npm): name or pattern → spec
    resolutions: dict[str, str] = field(default_factory=dict)
    #: package.json ``workspaces`` (a list, or ``{"packages": [...]}``): directory patterns
    workspaces: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return set(self.runtime) | set(self.dev) | set(self.optional)


def _read(path: Path) -> bytes | None:
    if not path.is_file() or is_outside(path):
        return None
    try:
        return read_bytes(path, max_bytes=MAX_MANIFEST_BYTES)
    except (InputError, OSError):
        return None


def _json(path: Path) -> dict[str, Any] | None:
    data = _read(path)
    if data is None:
        return None
    try:
        loaded = loads_json(data, source=path)
    except InputError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _toml(path: Path) -> dict[str, Any] | None:
    data = _read(path)
    if data is None:
        return None
    import tomllib  # here: only TOML manifests need it

    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _specs(value: Any) -> dict[str, str]:
    return {str(k): v if isinstance(v, str) else "" for k, v in as_dict(value).items()}


def package_json(directory: Path) -> Manifest | None:
    """``package.json``: dependencies, devDependencies, optional and peer dependencies."""
    path = directory / "package.json"
    data = _json(path)
    if data is None:
        return None
    manifest = Manifest(path, _str(data.get("name")), _str(data.get("version")))
    manifest.runtime = _specs(data.get("dependencies")) | _specs(data.get("peerDependencies"))
    manifest.dev = _specs(data.get("devDependencies"))
    manifest.optional = _specs(data.get("optionalDependencies"))
    manifest.resolutions = _specs(data.get("resolutions")) | {
        k: v for k, v in _specs(data.get("overrides")).items() if v
    }
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        manifest.workspaces = [w for w in workspaces if isinstance(w, str) and w.strip()]
    return manifest


def member_directories(directory: Path, pattern: str) -> list[Path]:
    """The directories inside ``directory`` a workspace member ``pattern`` (a glob) names,
    sorted: ``.`` (or ``./``) is ``directory`` itself; a pattern that leaves the tree (``..``,
    absolute) or that ``Path.glob`` refuses (empty, ``a**``: IndexError/ValueError on
    Python 3.11) matches nothing."""
    parts = [p for p in PurePosixPath(pattern.replace("\\", "/")).parts if p != "."]
    if ".." in parts or pattern.startswith(("/", "\\")) or Path(pattern).is_absolute():
        return []
    if not parts:
        return [directory] if pattern.strip() else []
    try:
        matches = sorted(directory.glob("/".join(parts)))
    except (ValueError, IndexError, NotImplementedError):
        return []
    return [m for m in matches if m.is_dir()]


def workspace_manifests(directory: Path, patterns: list[str]) -> list[Manifest]:
    """The ``package.json`` of each workspace directory the ``patterns`` match (glob, inside
    ``directory``; a negated ``!pattern`` or one that leaves the tree matches nothing)."""
    found: dict[Path, Manifest] = {}
    for pattern in patterns:
        if pattern.startswith("!"):
            continue
        for candidate in member_directories(directory, pattern):
            if candidate not in found:
                manifest = package_json(candidate)
                if manifest is not None:
                    found[candidate] = manifest
    return list(found.values())


def composer_json(directory: Path) -> Manifest | None:
    """``composer.json``: ``require`` and ``require-dev`` (platform packages left out)."""
    path = directory / "composer.json"
    data = _json(path)
    if data is None:
        return None
    manifest = Manifest(path, _str(data.get("name")), _str(data.get("version")))
    manifest.runtime = {k: v for k, v in _specs(data.get("require")).items() if "/" in k}
    manifest.dev = {k: v for k, v in _specs(data.get("require-dev")).items() if "/" in k}
    return manifest


#: Bundler groups that hold only development tools (``bundle install --without development
#: test`` leaves them out); any other group is installed in production, so it counts as runtime
DEV_GROUPS = frozenset({"development", "test"})
MAX_GEMFILE_LINE = 2000
_GEM = re.compile(r"""^\s*gem\s*\(?\s*["']([^"']+)["'](.*)$""")
_GROUP_BLOCK = re.compile(r"^\s*group\s*\(?\s*(.*?)\)?\s+do\b")
_BLOCK_START = re.compile(r"\bdo\s*(?:\|[^|]*\|)?\s*(?:#.*)?$")
_BLOCK_END = re.compile(r"^\s*end\b")
# Ruby statements closed by `end` (not the `gem "x" if cond` modifier form, which starts with gem)
_KEYWORD_BLOCK = re.compile(r"^\s*(?:if|unless|case|begin|while|until)\b")
_INLINE_GROUP = re.compile(r"(?::groups?\s*=>|\bgroups?:)\s*(\[[^\]]*\]|:\w+|[\"'][^\"']*[\"'])")
_SYMBOL = re.compile(r""":(\w+)|["'](\w+)["']""")
_GEMSPEC_DEP = re.compile(r"""\.add_(development_|runtime_)?dependency\s*\(?\s*["']([^"']+)["']""")


def _groups(text: str) -> set[str]:
    return {a or b for a, b in _SYMBOL.findall(text)}


def gemfile(directory: Path) -> Manifest | None:
    """``Gemfile`` (or ``gems.rb``): each ``gem`` with the Bundler groups it is declared in.

    A Gemfile is Ruby; this reads the declarative lines Bundler documents (``gem "name"``,
    ``group :a, :b do ... end`` blocks, ``group:``/``groups:`` options) line by line, and the
    ``add_dependency``/``add_development_dependency`` calls of the ``*.gemspec`` files beside
    it when the Gemfile says ``gemspec``. A gem only in the ``development``/``test`` groups is
    dev; anything else, or anything computed, is runtime (``--exclude-dev`` never drops what
    is not proven development-only). Source: bundler.io/guides/groups.html, gemfile.5.
    """
    for filename in ("Gemfile", "gems.rb"):
        data = _read(directory / filename)
        if data is not None:
            break
    else:
        return None
    manifest = Manifest(directory / filename)
    stack: list[set[str] | None] = []
    uses_gemspec = False
    for line in data.decode("utf-8", "replace").splitlines():
        if len(line) > MAX_GEMFILE_LINE:
            continue  # not a declaration anyone writes; keeps the line patterns linear
        code = (
            line.split("#", 1)[0] if "#" in line and '"' not in line and "'" not in line else line
        )
        if _BLOCK_END.match(code):
            if stack:
                stack.pop()
            continue
        block = _GROUP_BLOCK.match(code)
        if block:
            stack.append(_groups(block.group(1)))
            continue
        gem = _GEM.match(code)
        if gem:
            name, rest = gem.group(1), gem.group(2)
            groups: set[str] = set()
            for frame in stack:
                groups |= frame or set()
            inline = _INLINE_GROUP.search(rest)
            if inline:
                groups |= _groups(inline.group(1))
            if groups and groups <= DEV_GROUPS:
                manifest.dev[name] = ""
            else:
                manifest.runtime[name] = ""
            continue
        if re.match(r"^\s*gemspec\b", code):
            uses_gemspec = True
        elif _BLOCK_START.search(code) or _KEYWORD_BLOCK.match(code):
            stack.append(None)  # platforms/source/git/path/install_if blocks: no group
    if uses_gemspec:
        for spec in sorted(directory.glob("*.gemspec")):
            text = _read(spec)
            for kind, name in _GEMSPEC_DEP.findall(text.decode("utf-8", "replace") if text else ""):
                target = manifest.dev if kind == "development_" else manifest.runtime
                target.setdefault(name, "")
    return manifest


def cargo_toml(directory: Path) -> Manifest | None:
    """``Cargo.toml``: the ``[package]`` and its (dev-, build-) dependencies."""
    path = directory / "Cargo.toml"
    data = _toml(path)
    if data is None:
        return None
    package = as_dict(data.get("package"))
    version = package.get("version")
    workspace_package = as_dict(as_dict(data.get("workspace")).get("package"))
    if isinstance(version, dict) and version.get("workspace") is True:
        version = workspace_package.get("version")
    manifest = Manifest(path, _str(package.get("name")), _str(version))
    manifest.runtime = _specs(data.get("dependencies")) | _specs(data.get("build-dependencies"))
    manifest.dev = _specs(data.get("dev-dependencies"))
    members = as_dict(data.get("workspace")).get("members")
    if isinstance(members, list):
        manifest.workspaces = [m for m in members if isinstance(m, str) and m.strip()]
    return manifest


def cargo_members(directory: Path, patterns: list[str]) -> list[Manifest]:
    """The ``Cargo.toml`` of each workspace member the ``patterns`` match (glob, inside
    ``directory``)."""
    found: dict[Path, Manifest] = {}
    for pattern in patterns:
        for candidate in member_directories(directory, pattern):
            if candidate not in found:
                manifest = cargo_toml(candidate)
                if manifest is not None:
                    found[candidate] = manifest
    return list(found.values())


def pyproject_toml(directory: Path) -> Manifest | None:
    """``pyproject.toml``: PEP 621 ``[project]`` or Poetry's ``[tool.poetry]`` name and version."""
    path = directory / "pyproject.toml"
    data = _toml(path)
    if data is None:
        return None
    project = as_dict(data.get("project"))
    poetry = as_dict(as_dict(data.get("tool")).get("poetry"))
    dynamic = "version" in [str(x) for x in project.get("dynamic", []) or []]
    version = None if dynamic else _str(project.get("version"))
    return Manifest(
        path,
        _str(project.get("name")) or _str(poetry.get("name")),
        version or _str(poetry.get("version")),
    )


#: lockfile name → the reader of the manifest that goes with it
MANIFEST_FOR_LOCKFILE = {
    "package-lock.json": package_json,
    "npm-shrinkwrap.json": package_json,
    "yarn.lock": package_json,
    "pnpm-lock.yaml": package_json,
    "bun.lock": package_json,
    "composer.lock": composer_json,
    "Cargo.lock": cargo_toml,
    "poetry.lock": pyproject_toml,
    "uv.lock": pyproject_toml,
    "pdm.lock": pyproject_toml,
    "pylock.toml": pyproject_toml,
    "Pipfile.lock": pyproject_toml,
    "requirements.txt": pyproject_toml,
}


def manifest_for(lockfile: Path) -> Manifest | None:
    """The manifest beside ``lockfile`` that describes the same project, if any."""
    reader = MANIFEST_FOR_LOCKFILE.get(lockfile.name)
    return reader(lockfile.parent) if reader else None
