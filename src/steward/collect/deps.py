"""Dependency hygiene: manifests, lockfiles, update tools, unpinned requirements.

Lockfiles are recognised by the SBOM parsers' own file-name rules
(``steward.sbom.ecosystems.all_parsers``), looked up in the tree's index of base names and
extensions, so only candidate paths are matched (not one ``fnmatch`` per parser per file of
a 100k-file tree).
Manifests under vendored, generated or test-fixture directories are ignored: they are not
the project's own dependencies.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from functools import cache

from steward.collect.facts import Dependencies, Finding, Source
from steward.collect.tree import Tree
from steward.sbom.ecosystems import all_parsers

# manifest file name -> lockfile names that pin it (searched in its directory and above)
MANIFESTS: dict[str, tuple[str, ...]] = {
    "package.json": ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                     "bun.lock", "bun.lockb"),
    "pyproject.toml": ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "Pipfile.lock",
                       "requirements.txt"),
    "setup.py": ("requirements.txt", "poetry.lock", "uv.lock"),
    "Pipfile": ("Pipfile.lock",),
    "Cargo.toml": ("Cargo.lock",),
    "go.mod": ("go.sum",),
    "Gemfile": ("Gemfile.lock", "gems.locked"),
    "composer.json": ("composer.lock",),
    "mix.exs": ("mix.lock",),
    "pubspec.yaml": ("pubspec.lock",),
    "build.gradle": ("gradle.lockfile", "gradle/verification-metadata.xml"),
    "build.gradle.kts": ("gradle.lockfile", "gradle/verification-metadata.xml"),
    "pom.xml": ("pom.xml",),  # Maven resolves exact versions declared in the POM
    "conanfile.txt": ("conan.lock",),
    "conanfile.py": ("conan.lock",),
    "DESCRIPTION": ("renv.lock",),
    "Package.swift": ("Package.resolved",),
    "deno.json": ("deno.lock",),
}  # fmt: skip
_IGNORED = re.compile(
    r"(?:^|/)(?:node_modules|vendor|third_party|3rdparty|testdata|fixtures?|examples?|samples?|"
    r"tests?/data|\.venv|venv|site-packages|build|dist)/"
)
UPDATE_TOOLS = (
    ".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json", "renovate.json5",
    ".github/renovate.json", ".github/renovate.json5", ".gitlab/renovate.json", ".renovaterc",
    ".renovaterc.json", ".renovaterc.json5", ".pyup.yml", ".depfu.yml", ".snyk",
)  # fmt: skip
_PYPROJECT_DEPS = re.compile(
    r"^\s*(?:dependencies\s*=\s*\[\s*[\"']|\[tool\.poetry\.dependencies\]|\[project\.optional)",
    re.M,
)


@cache
def _lockfile_rules() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(exact lockfile names, (extension, glob) for the pattern-named ones)."""
    names: list[str] = ["go.sum", "bun.lockb", "Package.resolved", "deno.lock"]
    globs: list[tuple[str, str]] = []
    for parser in all_parsers():
        names.extend(parser.filenames)
        globs.extend((p.rpartition(".")[2].lower(), p) for p in parser.patterns)
    return tuple(names), tuple(globs)


def is_lockfile_name(name: str) -> bool:
    names, globs = _lockfile_rules()
    return name in names or any(fnmatch.fnmatchcase(name, g) for _, g in globs)


def _lockfile_paths(tree: Tree) -> list[str]:
    names, globs = _lockfile_rules()
    found = set(tree.named(*names))
    for ext, pattern in globs:
        found.update(
            p for p in tree.with_ext(ext) if fnmatch.fnmatchcase(posixpath.basename(p), pattern)
        )
    return sorted(found)


def collect_dependencies(tree: Tree) -> Dependencies:
    manifests: list[Finding] = []
    lockfiles: list[Finding] = []
    unlocked: list[Finding] = []
    unpinned: list[Finding] = []
    paths = set(tree.files)
    for path in tree.named(*MANIFESTS) + tree.with_ext("csproj", "gemspec"):
        if _IGNORED.search(path):
            continue
        name = posixpath.basename(path)
        if name == "pyproject.toml" and not _declares_deps(tree, path):
            continue
        manifests.append(Finding(Source(path=path), f"manifest {name}"))
        if not _has_lock(paths, path, name):
            unlocked.append(Finding(Source(path=path), f"{name} has no lockfile"))
    for path in _lockfile_paths(tree):
        name = posixpath.basename(path)
        if _IGNORED.search(path) or name == "pom.xml":
            continue
        lockfiles.append(Finding(Source(path=path), f"lockfile {name}"))
        if name.endswith(".txt") and "requirements" in name:
            unpinned.extend(_unpinned_requirements(tree, path))
    tools = [
        Finding(Source(path=p), "dependency update tool") for p in tree.find_all(*UPDATE_TOOLS)
    ]
    return Dependencies(
        manifests=tuple(manifests),
        lockfiles=tuple(lockfiles),
        unlocked_manifests=tuple(unlocked),
        update_tools=tuple(tools),
        unpinned=tuple(unpinned),
    )


def _declares_deps(tree: Tree, path: str) -> bool:
    text = tree.read(path, limit=256 * 1024).text or ""
    return bool(_PYPROJECT_DEPS.search(text))


def _has_lock(paths: set[str], path: str, name: str) -> bool:
    if name.endswith(".csproj"):
        locks: tuple[str, ...] = ("packages.lock.json",)
    elif name.endswith(".gemspec"):
        locks = ("Gemfile.lock",)
    else:
        locks = MANIFESTS[name]
    directory = posixpath.dirname(path)
    while True:
        for lock in locks:
            candidate = posixpath.join(directory, lock) if directory else lock
            if candidate in paths:
                return True
        if not directory:
            return False
        directory = posixpath.dirname(directory)


def _unpinned_requirements(tree: Tree, path: str) -> list[Finding]:
    content = tree.read(path, limit=256 * 1024)
    out: list[Finding] = []
    for lineno, raw in enumerate((content.text or "").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "\\", ".")) or "://" in line:
            continue
        if "==" not in line:
            out.append(Finding(Source(path=path, line=lineno), f"not pinned: {line[:100]}"))
    return out
