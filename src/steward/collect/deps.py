"""Dependency hygiene: manifests, lockfiles, update tools, unpinned requirements.

Lockfiles are recognised by the SBOM parsers' own file-name rules
(``steward.sbom.ecosystems.all_parsers``), looked up in the tree's index of base names and
extensions, so only candidate paths are matched (not one ``fnmatch`` per parser per file of
a 100k-file tree).

What counts as the project's manifest:
- every ``pyproject.toml`` with a ``[project]``, ``[tool.poetry]``, ``[dependency-groups]``
  (PEP 735) or ``[build-system]`` table — one with no dependencies needs no lockfile;
- ``setup.py``, and a ``setup.cfg`` of setuptools' declarative configuration where there is
  no ``setup.py`` (its ``install_requires`` are the dependencies to lock);
- ``package.json`` with a name or dependencies, ``Cargo.toml`` (one whose dependencies are all
  ``path`` dependencies into the repository, or ``file:``/``workspace:`` specifiers in a
  ``package.json``, needs no lockfile: nothing of its own comes from a registry), ``go.mod``,
  ``composer.json`` (one that requires only platform packages, ``php``/``ext-*``/``lib-*``,
  needs no lockfile),
  ``Gemfile``, ``pom.xml``, Gradle builds (pinned by exact versions like a POM, or by
  ``gradle.lockfile``), sbt, Mill, Leiningen and Clojure CLI builds (likewise: exact versions,
  or ``build.sbt.lock``), ``vendor.txt`` (pinned by itself) and friends; .NET project files
  (one version per NuGet reference pins like a POM, else ``packages.lock.json``),
  ``Package.swift`` (``Package.resolved`` only for remote packages), LuaRocks rockspecs
  (the Lua interpreter is no package to lock), Cabal, Nimble, Carton, rebar3, Gleam,
  shards, dub, Julia, CocoaPods, Carthage, Stack and Zig manifests;
- nothing under vendored, generated, test-fixture, test-data or example directories: a
  fixture ``build.gradle`` under ``src/test/resources`` is not the project's; nor under a
  top-level ``contrib/`` (contributed extras built on their own, as zlib's
  "unsupported third party contributions"). One exception: ``spec/`` is Ruby's (RSpec's)
  test directory, but a Maven module the root POM declares (``<module>spec</module>``) is
  built with the project: Jakarta EE projects build their specification document from
  ``spec/pom.xml`` (eclipse-ee4j/websocket-api, held-out-14b), so it is the project's.

Which lockfile covers a manifest follows the ecosystem's own rule: npm/yarn/pnpm only for the
workspace members the root ``package.json`` (or ``pnpm-workspace.yaml``) names; Cargo for the
crates under a ``[workspace]`` root; Go and Composer only in the manifest's own directory.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import tomllib
from functools import cache
from typing import Any

from steward.collect.commands import requirement_unpinned
from steward.collect.facts import Dependencies, Finding, Source
from steward.collect.tree import Tree, not_the_projects
from steward.collect.workspaces import npm_workspaces, uv_workspace
from steward.collect.yamlpos import line_of, load_located
from steward.errors import InputError
from steward.sbom.ecosystems import all_parsers
from steward.workspaceglob import member_match

# Composer's platform packages: the PHP runtime, its extensions and libraries, and Composer's
# own APIs (getcomposer.org, "Platform packages"); Composer installs none of them, so a
# manifest requiring only these (psr/log: "php": ">=8.0.0") has nothing to lock
_COMPOSER_PLATFORM = re.compile(
    r"^(?:php(?:-64bit|-ipv6|-zts|-debug)?|hhvm|ext-[\w.-]+|lib-[\w.-]+|composer|"
    r"composer-(?:plugin|runtime)-api)$",
    re.I,
)

# the setup() keywords that declare dependencies a lockfile would pin
_SETUP_PY_DEPS = re.compile(r"\b(?:install_requires|extras_require|requires)\s*=")
# (an indented continuation line holds the value when the key's own line has none)
_SETUP_CFG_DEPS = re.compile(
    r"^[ \t]*(?:install_requires[ \t]*=[ \t]*(?:[^\s#]|\n[ \t]+[^\s#])|"
    r"\[options\.extras_require\])",
    re.M,
)
# a setup.cfg that configures the package itself: its [options] or its [metadata] name
_SETUP_CFG_PROJECT = re.compile(
    r"^\[options\][ \t]*$|^\[metadata\][ \t]*\n(?:(?!\[)[^\n]*\n)*?[ \t]*name[ \t]*=", re.M
)

# manifest file name -> lockfile names that pin it
MANIFESTS: dict[str, tuple[str, ...]] = {
    "package.json": ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                     "bun.lock", "bun.lockb"),
    "pyproject.toml": ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "Pipfile.lock",
                       "requirements.txt"),
    "setup.py": ("requirements.txt", "poetry.lock", "uv.lock"),
    # setuptools' declarative configuration, the manifest when there is no setup.py
    "setup.cfg": ("requirements.txt", "poetry.lock", "uv.lock"),
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
    # JVM builds without a lockfile convention pin by exact versions, as a POM does; the
    # sbt-dependency-lock plugin writes build.sbt.lock for dynamic ones
    "build.sbt": ("build.sbt.lock",),
    "build.sc": (), "build.mill": (),  # Mill
    "project.clj": (), "deps.edn": (),  # Leiningen, Clojure CLI
    "conanfile.txt": ("conan.lock",),
    "conanfile.py": ("conan.lock",),
    "DESCRIPTION": ("renv.lock",),
    "Package.swift": ("Package.resolved",),
    "deno.json": ("deno.lock",),
    "vendor.txt": ("vendor.txt",),  # a list of vendored packages with exact versions
    # vcpkg pins port versions by a registry baseline (in vcpkg.json or its configuration)
    "vcpkg.json": ("vcpkg-configuration.json",),
    # ecosystems whose manifests have a fixed name: Perl (Carton), Erlang (rebar3), Gleam,
    # Crystal (shards), D (dub), Julia, CocoaPods, Carthage, Haskell (Stack); Zig's
    # build.zig.zon pins each dependency by its content hash
    "cpanfile": ("cpanfile.snapshot",),
    "rebar.config": ("rebar.lock",),
    "gleam.toml": ("manifest.toml",),
    "shard.yml": ("shard.lock",),
    "dub.json": ("dub.selections.json",),
    "dub.sdl": ("dub.selections.json",),
    "Project.toml": ("Manifest.toml",),
    "Podfile": ("Podfile.lock",),
    "Cartfile": ("Cartfile.resolved",),
    "stack.yaml": ("stack.yaml.lock",),
    "build.zig.zon": ("build.zig.zon",),
    "packages.config": ("packages.config",),  # NuGet's older list: one exact version each
}  # fmt: skip
# manifests named by their extension (the package's name before it): .NET project files,
# gemspecs, LuaRocks rockspecs, Cabal packages, Nimble packages
EXT_MANIFESTS: dict[str, tuple[str, ...]] = {
    "csproj": ("packages.lock.json",),
    "fsproj": ("packages.lock.json",),
    "vbproj": ("packages.lock.json",),
    "gemspec": ("Gemfile.lock",),
    "rockspec": ("luarocks.lock",),
    "cabal": ("cabal.project.freeze",),
    "nimble": ("nimble.lock",),
}  # fmt: skip
_LOCKFILE_NAMES = frozenset(
    posixpath.basename(lock)
    for locks in (*MANIFESTS.values(), *EXT_MANIFESTS.values())
    for lock in locks
)
# where a lockfile in an ancestor directory can cover a nested manifest
_SAME_DIRECTORY_ONLY = frozenset({"go.mod", "composer.json", "Gemfile", "mix.exs",
                                  "pubspec.yaml", "Pipfile", "vendor.txt", "vcpkg.json",
                                  "cpanfile", "rebar.config", "gleam.toml", "shard.yml",
                                  "dub.json", "dub.sdl", "Project.toml", "Podfile", "Cartfile",
                                  "build.zig.zon", "packages.config"})  # fmt: skip
# requirements files by pip's conventions (requirements.txt, requirements-dev.txt,
# requirements/test.in, constraints.txt)
_REQUIREMENTS_FILE = re.compile(
    r"(?:^|/)(?:(?:requirements|constraints)[\w.-]*\.(?:txt|in)|requirements/[\w.-]+\.(?:txt|in))$",
    re.I,
)


def is_dependency_file(path: str) -> bool:
    """True for a language ecosystem's manifest or lockfile (``poetry.lock``, ``Cargo.toml``,
    ``go.sum``, ``requirements-dev.txt``, ``app.csproj``...), by its name; False for CI files,
    Dockerfiles and anything else (an update bot changing only those watches no language
    dependency)."""
    name = posixpath.basename(path)
    if name in MANIFESTS or name in _LOCKFILE_NAMES:
        return True
    if "." in name and name.rsplit(".", 1)[1].lower() in EXT_MANIFESTS:
        return True
    return bool(_REQUIREMENTS_FILE.search(path))


UPDATE_TOOLS = (
    ".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json", "renovate.json5",
    ".github/renovate.json", ".github/renovate.json5", ".gitlab/renovate.json", ".renovaterc",
    ".renovaterc.json", ".renovaterc.json5", ".pyup.yml", ".depfu.yml", ".snyk",
    # Renovate's other places (the GitLab directory's JSON5, a Forgejo or Gitea directory,
    # which it reads on those forges)
    ".gitlab/renovate.json5", ".forgejo/renovate.json", ".forgejo/renovate.json5",
    ".gitea/renovate.json", ".gitea/renovate.json5",
    # Scala Steward reads its repository configuration from these places
    ".scala-steward.conf", ".github/.scala-steward.conf", ".config/.scala-steward.conf",
    "scala-steward.conf", ".github/scala-steward.conf", ".config/scala-steward.conf",
)  # fmt: skip
_NPM_DEP_KEYS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


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
    found.update(p for p in tree.with_ext("txt") if _IN_REQUIREMENTS_DIR.search(p))
    return sorted(found)


class _Manifests:
    """Reads manifests once and answers: is it one, does it declare dependencies, which
    ancestor lockfile may cover it."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.paths = set(tree.files)
        self._parsed: dict[str, Any] = {}
        self._pnpm: dict[str, list[str]] = {}

    def data(self, path: str) -> Any:
        if path not in self._parsed:
            text = self.tree.read(path, limit=512 * 1024).text or ""
            value: Any = None
            try:
                if path.endswith(".toml"):
                    value = tomllib.loads(text)
                elif path.endswith(".json"):
                    value = json.loads(text)
            except (ValueError, tomllib.TOMLDecodeError, RecursionError):
                value = None
            self._parsed[path] = value if value is not None else text
        return self._parsed[path]

    def kind(self, path: str) -> tuple[bool, bool]:
        """(is a dependency manifest, declares dependencies that a lockfile should pin)."""
        name = posixpath.basename(path)
        data = self.data(path)
        if name == "pyproject.toml":
            if not isinstance(data, dict):
                return bool(re.search(r"^\[(?:project|tool\.poetry)\]", str(data), re.M)), True
            project = data.get("project")
            project = project if isinstance(project, dict) else {}
            tool = data.get("tool")
            poetry = tool.get("poetry") if isinstance(tool, dict) else None
            poetry = poetry if isinstance(poetry, dict) else {}
            groups = data.get("dependency-groups")
            is_manifest = bool(project or poetry or groups or data.get("build-system"))
            poetry_deps = set(poetry.get("dependencies") or {}) - {"python"}
            declares = bool(
                project.get("dependencies")
                or project.get("optional-dependencies")
                or (isinstance(groups, dict) and any(groups.values()))
                or poetry_deps
                or poetry.get("group")
            )
            return is_manifest, declares
        if name == "package.json":
            if not isinstance(data, dict):
                return False, False
            deps = [data.get(k) for k in _NPM_DEP_KEYS]
            declares = any(deps)
            # only file:/link:/workspace: dependencies: nothing from the registry to lock
            remote = any(
                not isinstance(table, dict)
                or any(
                    not (isinstance(v, str) and v.startswith(_NPM_LOCAL)) for v in table.values()
                )
                for table in deps
                if table
            )
            return declares or bool(data.get("name")), remote
        if name == "Cargo.toml":
            return True, not isinstance(data, dict) or _cargo_remote_dependencies(data)
        if name == "vcpkg.json":
            if not isinstance(data, dict):
                return True, True
            pinned = "builtin-baseline" in data or "overrides" in data
            return True, bool(data.get("dependencies")) and not pinned
        if name == "go.mod":
            return True, bool(re.search(r"^\s*require\b", str(data), re.M))
        if name == "composer.json":
            if not isinstance(data, dict):
                return True, True
            sections = [data.get(key) for key in ("require", "require-dev")]
            packages = [str(k) for d in sections if isinstance(d, dict) for k in d]
            return True, any(not _COMPOSER_PLATFORM.match(p) for p in packages)
        text = str(data)
        if name == "setup.cfg":
            # setuptools' declarative configuration (``[metadata]`` name, ``[options]``) is
            # the manifest of a project without a setup.py, its pyproject.toml naming only
            # the build backend (aio-libs/yarl, held-out-15a); beside a setup.py it is read
            # as part of that one, and a setup.cfg of tool settings ([flake8]) is none
            setup_py = posixpath.join(posixpath.dirname(path), "setup.py")
            declarative = bool(_SETUP_CFG_PROJECT.search(text))
            if setup_py in self.paths or not declarative:
                return False, False
            return True, bool(_SETUP_CFG_DEPS.search(text))
        if name == "setup.py":
            # setuptools' runtime and optional dependencies are ``install_requires`` and
            # ``extras_require`` (distutils' ``requires``), in setup.py or in the setup.cfg
            # beside it ([options], aio-libs/multidict); a setup.py without them only builds
            # (``setup(ext_modules=...)``: hukkin/tomli, held-out-13a), nothing to lock
            cfg = posixpath.join(posixpath.dirname(path), "setup.cfg")
            declares = bool(_SETUP_PY_DEPS.search(text)) or (
                cfg in self.paths and bool(_SETUP_CFG_DEPS.search(str(self.data(cfg))))
            )
            return True, declares
        if name == "Package.swift" or _VERSIONED_SWIFT.fullmatch(name):
            # only remote packages need Package.resolved (``.package(path:)`` is local)
            return True, bool(re.search(r"\.package\s*\(\s*(?:name:[^,]*,\s*)?(?:url|id):", text))
        if name.endswith(".rockspec"):
            return True, bool(_ROCKSPEC_DEPS.search(text) and _rockspec_deps(text))
        if name.endswith((".csproj", ".fsproj", ".vbproj")):  # project references need no lock
            return True, bool(_nuget_refs(text))
        if name.endswith(".nimble"):
            requires = re.findall(r"^\s*requires\s+(.+)$", text, re.M)
            return True, any(re.search(r"\"(?!nim\b)[A-Za-z]", r) for r in requires)
        return True, True

    def _pnpm_packages(self, pnpm: str) -> list[str]:
        """The ``packages`` globs of a ``pnpm-workspace.yaml``, parsed once per file (a
        monorepo asks once per package.json; pnpm/pnpm has ~400)."""
        if pnpm not in self._pnpm:
            try:
                doc = load_located(self.tree.read(pnpm).text or "", source=pnpm)
            except InputError:
                doc = None
            packages = doc.get("packages") if isinstance(doc, dict) else None
            self._pnpm[pnpm] = [str(p) for p in packages] if isinstance(packages, list) else []
        return self._pnpm[pnpm]

    def workspace_covers(self, root_manifest: str, path: str) -> bool:
        """Whether the manifest ``root_manifest`` declares ``path``'s directory as a member."""
        name = posixpath.basename(path)
        base = posixpath.dirname(root_manifest)
        member = posixpath.relpath(posixpath.dirname(path), base or ".")
        patterns: list[str] = []
        if name == "package.json":
            patterns += npm_workspaces(self.data(root_manifest))
            pnpm = posixpath.join(base, "pnpm-workspace.yaml") if base else "pnpm-workspace.yaml"
            if pnpm in self.paths:
                patterns += self._pnpm_packages(pnpm)
        elif name == "Cargo.toml":
            data = self.data(root_manifest)
            workspace = data.get("workspace") if isinstance(data, dict) else None
            if not isinstance(workspace, dict):
                return False
            excluded = [str(p) for p in workspace.get("exclude") or []]
            if any(_glob_match(member, p) for p in excluded):
                return False
            own = self.data(path)
            return not (isinstance(own, dict) and "workspace" in own)
        elif name == "pyproject.toml":
            patterns += uv_workspace(self.data(root_manifest))[0]
        else:
            return True
        return any(_glob_match(member, p.rstrip("/")) for p in patterns if not p.startswith("!"))


# npm dependency specifiers that name a directory of the same repository (no registry)
_NPM_LOCAL = ("file:", "link:", "workspace:", "portal:")
_CARGO_DEP_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def _cargo_remote_dependencies(data: dict[str, Any]) -> bool:
    """Whether a parsed ``Cargo.toml`` declares a dependency a lockfile should pin: one from
    a registry or git (``serde = "1"``, ``{ git = ... }``, ``{ workspace = true }``). A crate
    whose only dependencies are ``path`` dependencies into the repository (a test or CI
    harness crate: ``getrandom = { path = ".." }``) has nothing of its own to lock, like a
    Swift ``.package(path:)`` or a .NET project reference; nor has a crate without any."""
    tables: list[Any] = [data.get(t) for t in _CARGO_DEP_TABLES]
    for section in ("target", "workspace"):
        holder = data.get(section)
        if isinstance(holder, dict):
            nested = holder.values() if section == "target" else [holder]
            tables += [spec.get(t) for spec in nested if isinstance(spec, dict)
                       for t in _CARGO_DEP_TABLES]  # fmt: skip
    for table in tables:
        if not isinstance(table, dict):
            continue
        for spec in table.values():
            if not (isinstance(spec, dict) and "path" in spec and "git" not in spec):
                return True
    return False


def _glob_match(member: str, pattern: str) -> bool:
    """A workspace member pattern, segment by segment (``dir/**`` also takes ``dir``)."""
    return member_match(member, pattern)


_VERSIONED_SWIFT = re.compile(r"Package@swift-[\d.]+\.swift")
_ROCKSPEC_DEPS = re.compile(r"^\s*dependencies\s*=\s*\{(?P<body>[^}]*)\}", re.M)


def _rockspec_deps(text: str) -> list[str]:
    """The packages a rockspec's ``dependencies = {...}`` names, the Lua interpreter
    (``"lua >= 5.1"``) left out: it is the runtime, not a package to lock."""
    m = _ROCKSPEC_DEPS.search(text)
    names = re.findall(r"[\"']\s*([A-Za-z0-9_.-]+)", m.group("body")) if m else []
    return [n for n in names if n.lower() not in ("lua", "luajit")]


# a NuGet version that floats or ranges: 4.*, [1.0,2.0), (,1.0]
_NUGET_FLOATING = re.compile(r"[*\[\](),]")


def _nuget_refs(text: str) -> list[str]:
    return re.findall(r"<PackageReference\b[^>]*?(?:/>|>.*?</PackageReference>)", text, re.S)


_NUGET_VERSION = re.compile(
    r"\b(?:Version|VersionOverride)\s*=\s*\"([^\"]*)\"|<Version>([^<]*)</Version>"
)


def _ancestor_file(reader: _Manifests, path: str, name: str) -> str | None:
    """The nearest ``name`` in the directory of ``path`` or an ancestor, as MSBuild finds
    ``Directory.Build.props`` and ``Directory.Packages.props``."""
    directory = posixpath.dirname(path)
    while True:
        candidate = f"{directory}/{name}" if directory else name
        if candidate in reader.paths and candidate != path:
            return candidate
        if not directory:
            return None
        directory = posixpath.dirname(directory)


_PROPERTY_GROUP = re.compile(r"<PropertyGroup\b[^>]*>(.*?)</PropertyGroup\s*>", re.S)
_PROPERTY = re.compile(r"<([A-Za-z_][\w.-]*)\b[^>/]*>([^<]*)</\1\s*>")


def _msbuild_properties(reader: _Manifests, path: str) -> dict[str, set[str]]:
    """The MSBuild properties a project sees, by lower-cased name, each with every value it
    is given (a property set under several conditions has several): those of the project
    file itself and of the ``Directory.Build.props`` MSBuild imports before it (the nearest
    one, and the one above it when it imports that with ``GetPathOfFileAbove``), as
    log4net keeps its package versions (``<NUnitPackageVersion>4.2.2</...>``, held-out-11c).
    Properties set on the command line or in targets imported from elsewhere are not seen,
    so a version they would give stays unresolved (and needs a lockfile)."""
    files = [path]
    props = _ancestor_file(reader, path, "Directory.Build.props")
    while props is not None:
        files.append(props)
        text = str(reader.data(props))
        if "GetPathOfFileAbove" not in text or "Directory.Build.props" not in text:
            break
        parent = posixpath.dirname(posixpath.dirname(props))
        props = _ancestor_file(reader, f"{parent}/x" if parent else "x", "Directory.Build.props")
        if props in files:
            break
    found: dict[str, set[str]] = {}
    for file in files:
        for group in _PROPERTY_GROUP.finditer(str(reader.data(file))):
            for m in _PROPERTY.finditer(group.group(1)):
                found.setdefault(m.group(1).lower(), set()).add(m.group(2).strip())
    return found


def _resolved(value: str, properties: dict[str, set[str]]) -> str | None:
    """``value`` with its ``$(Name)`` references replaced by the property's one value; None
    when a reference is undefined, has more than one value, or refers to another property."""

    def one(m: re.Match[str]) -> str:
        values = properties.get(m.group(1).lower(), set())
        if len(values) != 1:
            raise LookupError(m.group(1))
        return next(iter(values))

    try:
        resolved = re.sub(r"\$\(\s*([A-Za-z_][\w.-]*)\s*\)", one, value)
    except LookupError:
        return None
    return None if "$(" in resolved else resolved


def _central_versions(reader: _Manifests, path: str) -> dict[str, str]:
    """NuGet central package management: the ``PackageVersion`` entries of the nearest
    ``Directory.Packages.props`` (the project's directory or an ancestor), by package id."""
    props = _ancestor_file(reader, path, "Directory.Packages.props")
    if props is None:
        return {}
    text = str(reader.data(props))
    return {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(
            r"<PackageVersion\b[^>]*?\bInclude\s*=\s*\"([^\"]+)\"[^>]*?"
            r"\bVersion\s*=\s*\"([^\"]*)\"",
            text,
        )
    }


def _nuget_exact(reader: _Manifests, path: str) -> bool:
    """Whether a .NET project pins its packages without a lockfile: NuGet restores the
    lowest version a reference allows, so ``Version="4.0.0"`` resolves 4.0.0 (like a Maven
    POM), and so does a version set centrally (``Directory.Packages.props``) or through an
    MSBuild property that the project or its ``Directory.Build.props`` sets to one exact
    version; floating (``4.*``) and ranged versions, or properties we cannot resolve to one
    value, need ``packages.lock.json``."""
    refs = _nuget_refs(str(reader.data(path)))
    central: dict[str, str] | None = None
    properties: dict[str, set[str]] | None = None
    for ref in refs:
        version = _NUGET_VERSION.search(ref)
        value = (version.group(1) or version.group(2) or "") if version else ""
        if not value.strip():
            name = re.search(r"\b(?:Include|Update)\s*=\s*\"([^\"]+)\"", ref)
            if central is None:
                central = _central_versions(reader, path)
            value = central.get(name.group(1).lower(), "") if name else ""
        if "$(" in value:
            if properties is None:
                properties = _msbuild_properties(reader, path)
                central_props = _ancestor_file(reader, path, "Directory.Packages.props")
                if central_props is not None:  # a central version may name a property too
                    for key, values in _msbuild_properties(reader, central_props).items():
                        properties.setdefault(key, set()).update(values)
            value = _resolved(value, properties) or ""
        if not value.strip() or _NUGET_FLOATING.search(value):
            return False
    return True


def pins_read(path: str) -> bool:
    """Whether the lines of the dependency file at ``path`` are read for pins, one by one
    (a pip requirements file, ``vendor.txt``): each unpinned line is a finding. Other
    manifests and lockfiles (``go.mod``, ``Cargo.lock``, ``package-lock.json``) are judged as
    a whole by ``lockfiles_present``, not line by line."""
    name = posixpath.basename(path)
    return (
        name == "vendor.txt"
        or (name.endswith(".txt") and "requirements" in name)
        or _IN_REQUIREMENTS_DIR.search(path) is not None
    )


# pip's other convention: one requirements file per purpose in a ``requirements/`` directory
# (``requirements/pytest.txt``, ``requirements/doc.txt``: aio-libs/multidict, held-out-12a),
# whose names do not say "requirements"
_IN_REQUIREMENTS_DIR = re.compile(r"(?:^|/)requirements/[\w.-]+\.txt$", re.I)


# a Maven module declaration: <module>api</module>, <module>./spec</module>
_MAVEN_MODULE = re.compile(r"<module>\s*([^<>\s]+?)\s*</module>")
_SPEC_DIRS = frozenset({"spec", "specs"})
MAX_MAVEN_MODULES = 200


def _maven_modules(tree: Tree) -> set[str]:
    """The ``pom.xml`` paths of the modules the root POM declares, and of the modules those
    declare (breadth-first, at most :data:`MAX_MAVEN_MODULES`); comments left out."""
    found: set[str] = set()
    root = tree.find("pom.xml")
    queue = [root] if root else []
    while queue and len(found) < MAX_MAVEN_MODULES:
        pom = queue.pop(0)
        text = re.sub(r"<!--.*?-->", "", tree.read(pom, limit=1024 * 1024).text or "", flags=re.S)
        base = posixpath.dirname(pom)
        for m in _MAVEN_MODULE.finditer(text):
            module = posixpath.normpath(posixpath.join(base, m.group(1)))
            path = module if module.endswith(".xml") else f"{module}/pom.xml"
            hit = None if path.startswith("../") else tree.find(path)
            if hit is None or hit in found:
                continue
            found.add(hit)
            queue.append(hit)
    return found


def _not_the_projects_manifest(path: str, modules: set[str]) -> bool:
    """``not_the_projects``, except for a declared Maven module whose path is left out only
    because a directory on it is named ``spec``/``specs`` (RSpec's name, a specification
    module in a Maven build)."""
    if not not_the_projects(path):
        return False
    if path not in modules:
        return True
    parts = path.split("/")
    kept = "/".join(p for p in parts[:-1] if p.lower() not in _SPEC_DIRS)
    return not_the_projects(f"{kept}/{parts[-1]}" if kept else parts[-1])


def collect_dependencies(tree: Tree) -> Dependencies:
    manifests: list[Finding] = []
    lockfiles: list[Finding] = []
    unlocked: list[Finding] = []
    unpinned: list[Finding] = []
    reader = _Manifests(tree)
    swift_versioned = [  # Package@swift-6.1.swift: the manifest for older toolchains
        p for p in tree.with_ext("swift") if _VERSIONED_SWIFT.fullmatch(posixpath.basename(p))
    ]
    modules = _maven_modules(tree)
    for path in tree.named(*MANIFESTS) + tree.with_ext(*EXT_MANIFESTS) + swift_versioned:
        if _not_the_projects_manifest(path, modules) or path.startswith("contrib/"):
            continue
        name = posixpath.basename(path)
        is_manifest, declares = reader.kind(path)
        if not is_manifest:
            continue
        manifests.append(Finding(Source(path=path), f"manifest {name}"))
        if declares and not _has_lock(reader, path, name):
            unlocked.append(Finding(Source(path=path), f"{name} has no lockfile"))
        if name == "vendor.txt":
            unpinned.extend(_unpinned_requirements(tree, path))
    for path in _lockfile_paths(tree):
        name = posixpath.basename(path)
        if not_the_projects(path) or name == "pom.xml" or path.startswith("contrib/"):
            continue
        lockfiles.append(Finding(Source(path=path), f"lockfile {name}"))
        if pins_read(path):
            unpinned.extend(_unpinned_requirements(tree, path))
    if not manifests:
        manifests = _application_requirements(lockfiles)
        # such a file locks the application only where it pins every requirement
        loose = {f.source.path for f in unpinned}
        unlocked += [
            Finding(f.source, f"{f.source.path} pins not every requirement")
            for f in manifests
            if f.source.path in loose
        ]
    return Dependencies(
        manifests=tuple(manifests),
        lockfiles=tuple(lockfiles),
        unlocked_manifests=tuple(unlocked),
        update_tools=tuple(_update_tools(tree)),
        unpinned=tuple(unpinned),
        no_package_ecosystem="" if manifests else _no_package_ecosystem(tree),
    )


def _application_requirements(lockfiles: list[Finding]) -> list[Finding]:
    """The requirements files of a Python application that has no other manifest
    (``requirements.txt`` beside ``app.py``): pip's dependency list of the project, so its
    manifest (OSPS-QA-02.01), whose pins ``dependencies_pinned`` judges. Only those at the root
    or in the root ``requirements/`` directory: a ``docs/requirements.txt`` or
    ``ci/requirements.txt`` of a C++ project lists the tools of its documentation or CI build,
    not the project's dependencies (eclipse-cyclonedds/cyclonedds-cxx, held-out-16g)."""
    return [
        Finding(f.source, f"manifest {posixpath.basename(f.source.path or '')} (pip requirements)")
        for f in lockfiles
        if f.source.path and _at_root(_REQUIREMENTS_FILE.search(f.source.path))
    ]


def _at_root(found: re.Match[str] | None) -> bool:
    """A ``_REQUIREMENTS_FILE`` match that starts the path: the file is at the root of the
    repository or in its root ``requirements/`` directory, where an application keeps it."""
    return found is not None and found.start() == 0


# source files of languages that have a package manager and a dependency manifest (C and C++
# included: vcpkg, Conan, Meson wraps); a project with none of them (shell scripts, Makefiles,
# documentation) has no "package management system" in OSPS-QA-02.01's sense
_PACKAGED_LANGUAGES = (
    "py", "pyi", "pyx", "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte",
    "go", "rs", "java", "kt", "kts", "scala", "sc", "groovy", "clj", "cljs", "cljc", "rb",
    "php", "cs", "fs", "fsx", "vb", "swift", "m", "mm", "dart", "ex", "exs", "erl", "hrl",
    "gleam", "hs", "lhs", "lua", "r", "jl", "nim", "zig", "cr", "ml", "mli", "elm", "purs",
    "c", "cc", "cpp", "cxx", "h", "hh", "hpp", "hxx", "pl", "pm", "raku", "rakumod", "d", "v",
    "sol", "coffee", "cbl", "f90", "ada", "adb", "tcl", "el",
)  # fmt: skip
_SHELL = ("sh", "bash", "zsh", "fish", "ksh", "ps1", "bat", "cmd")


def _no_package_ecosystem(tree: Tree) -> str:
    """Why no dependency manifest is expected: the project's files (tests and examples left
    out) include no source code of a language with a package manager. Empty when some do."""
    if any(not not_the_projects(p) for p in tree.with_ext(*_PACKAGED_LANGUAGES)):
        return ""
    shell = [p for p in tree.with_ext(*_SHELL) if not not_the_projects(p)]
    what = "shell scripts and documentation" if shell else "documentation and data"
    return (
        f"no source code in a language with a package manager ({what} only): no dependency "
        "manifest is expected"
    )


def _update_tools(tree: Tree) -> list[Finding]:
    """Update tool configurations; for Dependabot one finding per ecosystem it updates
    (``dependabot: pip in /``), at the line of its ``package-ecosystem``."""
    found: list[Finding] = []
    renovate_key = _package_json_renovate(tree)
    if renovate_key is not None:
        text = tree.read("package.json", limit=512 * 1024).text or ""
        found.append(Finding(Source(path="package.json", line=renovate_key), _renovate(text)))
    for path in tree.find_all(*UPDATE_TOOLS):
        if "renovate" in path:
            found.append(Finding(Source(path=path), _renovate(tree.read(path).text or "")))
            continue
        if "dependabot" not in path:
            found.append(Finding(Source(path=path), "dependency update tool"))
            continue
        entries: list[Finding] = []
        try:
            doc = load_located(tree.read(path).text or "", source=path)
        except InputError:
            doc = None
        updates = doc.get("updates") if isinstance(doc, dict) else None
        for update in updates if isinstance(updates, list) else []:
            if not isinstance(update, dict):
                continue
            ecosystem = update.get("package-ecosystem")
            if isinstance(ecosystem, str):
                directory = update.get("directory") or ",".join(
                    str(d) for d in update.get("directories") or []
                )
                entries.append(
                    Finding(
                        Source(path=path, line=line_of(ecosystem)),
                        f"dependabot: {ecosystem} in {directory or '/'}",
                    )
                )
        found += entries or [Finding(Source(path=path), "dependency update tool")]
    return found


def _package_json_renovate(tree: Tree) -> int | None:
    """The line of a ``"renovate"`` configuration object in the root ``package.json`` (Renovate
    reads it there, and only there), or None."""
    if "package.json" not in tree.files:
        return None
    text = tree.read("package.json", limit=512 * 1024).text or ""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("renovate"), dict):
        return None
    m = re.search(r'"renovate"\s*:\s*\{', text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


_RENOVATE_MANAGERS = re.compile(r"""["']?enabledManagers["']?\s*:\s*\[([^\]]*)\]""")
_RENOVATE_NO_ALERTS = re.compile(
    r"""["']?vulnerabilityAlerts["']?\s*:\s*\{[^{}]*["']?enabled["']?\s*:\s*false"""
)


def _renovate(text: str) -> str:
    """``renovate: <managers>``: the managers a Renovate configuration restricts itself to
    (``enabledManagers``), ``all detected`` without a restriction (Renovate's default), or
    ``renovate: vulnerability alerts off`` when ``vulnerabilityAlerts.enabled`` is false.
    Renovate raises pull requests for the vulnerabilities GitHub's advisory database reports
    on the ecosystems it manages, as Dependabot does, unless those alerts are disabled."""
    if _RENOVATE_NO_ALERTS.search(text):
        return "renovate: vulnerability alerts off"
    m = _RENOVATE_MANAGERS.search(text)
    managers = re.findall(r"""["']([^"']+)["']""", m.group(1)) if m else []
    return f"renovate: {', '.join(managers) if managers else 'all detected'}"


# a dynamic Gradle version: "1.+", latest.release/integration, a range "[1.0,2.0)" — in a
# dependency coordinate ("g:a:1.+"), a version = "..." assignment or a catalog entry (not the
# OSGi Import-Package ranges a build script may also hold)
_DYNAMIC_VERSION = r"""(?:[\w.-]*\+|latest\.\w+|[\[\(]\s*\d)"""
# Linear on any text: the per-line alternative matches within a line (``^\s*`` spanned
# blank lines, so every line start rescanned all the blank lines after it: 20,000 blank
# lines took 9.6 s), and "require   (" has one way to split its spaces.
_GRADLE_DYNAMIC = re.compile(
    rf"""["'][\w.-]+:[\w.-]+:{_DYNAMIC_VERSION}|(?<!;)\bversion\s*[=(]\s*["']{_DYNAMIC_VERSION}"""
    rf"""|^[ \t]*[\w.-]+[ \t]*=[ \t]*["']{_DYNAMIC_VERSION}"""
    rf"""|\b(?:require|strictly|prefer)\s*(?:[=(]\s*)?["']{_DYNAMIC_VERSION}""",
    re.M,
)


def _gradle_exact(reader: _Manifests, path: str) -> bool:
    """A Gradle build that declares only exact versions (in the script and the version
    catalogs ``gradle/*.versions.toml``) resolves the same versions every time, as a Maven
    POM does; dynamic versions ("1.+", latest.release, ranges) need ``gradle.lockfile``."""
    catalogs = [p for p in reader.paths if p.startswith("gradle/") and p.endswith(".versions.toml")]
    texts = (reader.tree.read(p, limit=512 * 1024).text or "" for p in [path, *catalogs])
    return not any(_GRADLE_DYNAMIC.search(text) for text in texts)


# dynamic versions in the other JVM builds: sbt ``% "1.+"``/``% "latest.integration"``/ranges,
# Mill ``ivy"g::a:1.+"``, Leiningen and deps.edn ``"RELEASE"``/``"LATEST"``/``"[1.0,)"``
_JVM_DYNAMIC = {
    "build.sbt": re.compile(rf"""%\s*["']{_DYNAMIC_VERSION}"""),
    "build.sc": re.compile(rf"""(?:ivy|mvn)"[^"\n]*:{_DYNAMIC_VERSION}"""),
    "project.clj": re.compile(r"\"(?:RELEASE|LATEST|[\[\(]\s*\d[^\"\n]*)\""),
}
_JVM_DYNAMIC["build.mill"] = _JVM_DYNAMIC["build.sc"]
_JVM_DYNAMIC["deps.edn"] = _JVM_DYNAMIC["project.clj"]


def _jvm_exact(reader: _Manifests, path: str, name: str) -> bool:
    """An sbt, Mill, Leiningen or Clojure CLI build that names only exact versions (sbt:
    also the ``project/*.sbt`` plugin definitions beside it) resolves the same versions every
    time, as a Maven POM does."""
    pattern = _JVM_DYNAMIC[name]
    paths = [path]
    if name == "build.sbt":
        prefix = posixpath.join(posixpath.dirname(path), "project/")
        paths += sorted(p for p in reader.paths if p.startswith(prefix) and p.endswith(".sbt")
                        and "/" not in p[len(prefix):])  # fmt: skip
    texts = (reader.tree.read(p, limit=512 * 1024).text or "" for p in paths)
    return not any(pattern.search(text) for text in texts)


def _has_lock(reader: _Manifests, path: str, name: str) -> bool:
    if name in ("build.gradle", "build.gradle.kts") and _gradle_exact(reader, path):
        return True
    if name in _JVM_DYNAMIC and _jvm_exact(reader, path, name):
        return True
    extension = name.rpartition(".")[2]
    if name in MANIFESTS:
        locks: tuple[str, ...] = MANIFESTS[name]
    elif extension in EXT_MANIFESTS:
        locks = EXT_MANIFESTS[extension]
        if extension in ("csproj", "fsproj", "vbproj") and _nuget_exact(reader, path):
            return True
    else:
        locks = MANIFESTS["Package.swift"]  # Package@swift-6.1.swift
    paths = reader.paths
    directory = posixpath.dirname(path)
    own = directory
    while True:
        prefix = f"{directory}/" if directory else ""
        present = [lock for lock in locks if prefix + lock in paths]
        requirements = prefix + "requirements.txt"
        if (
            name == "pyproject.toml"
            and present == ["requirements.txt"]
            and not _requirements_lock_the_project(reader, path, requirements)
        ):
            present = []
        if present:
            if directory == own or name in ("build.gradle", "build.gradle.kts", "pom.xml"):
                return True
            root_manifest = prefix + name
            return root_manifest in paths and reader.workspace_covers(root_manifest, path)
        if not directory or name in _SAME_DIRECTORY_ONLY or extension in EXT_MANIFESTS:
            return False
        directory = posixpath.dirname(directory)


# a requirement line that installs the checkout itself: ``-e .``, ``.[brotli,http2]``, ``./``
_INSTALLS_CHECKOUT = re.compile(r"^(?:(?:-e|--editable)(?:\s+|=))?\.(?:/)?(?:\[[^\]]*\])?\s*$")
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements_lock_the_project(reader: _Manifests, manifest: str, requirements: str) -> bool:
    """Whether ``requirements`` is the lock of the pyproject.toml ``manifest`` beside it. A
    requirements file that installs the checkout (``-e .[extras]``) pins what it lists, but
    pip resolves the project's own dependencies afresh unless they are listed too (as ``uv
    export`` writes them after ``-e .``): encode/httpx's requirements.txt pins its tooling
    and installs httpx's certifi, httpcore, anyio and idna unpinned (held-out-11a)."""
    text = reader.tree.read(requirements, limit=256 * 1024).text or ""
    lines = [raw.split(" #", 1)[0].strip() for raw in text.splitlines()]
    if not any(_INSTALLS_CHECKOUT.match(line) for line in lines):
        return True
    listed = {
        _canonical(m.group(1))
        for line in lines
        if not line.startswith(("-", "#")) and (m := _REQUIREMENT_NAME.match(line))
    }
    data = reader.data(manifest)
    project = data.get("project") if isinstance(data, dict) else None
    declared = project.get("dependencies") if isinstance(project, dict) else None
    names = [
        _canonical(m.group(1))
        for dep in declared or []
        if isinstance(dep, str) and (m := _REQUIREMENT_NAME.match(dep))
    ]
    return all(n in listed for n in names)


def _unpinned_requirements(tree: Tree, path: str) -> list[Finding]:
    content = tree.read(path, limit=256 * 1024)
    out: list[Finding] = []
    for lineno, raw in enumerate((content.text or "").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "\\")):
            continue  # comments, options (-r, -e, --hash=...) and continuation lines
        if requirement_unpinned(line):
            out.append(Finding(Source(path=path, line=lineno), f"not pinned: {line[:100]}"))
    return out
