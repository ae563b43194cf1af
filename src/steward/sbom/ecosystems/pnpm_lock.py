"""pnpm-lock.yaml (lockfile versions 5.x, 6.x and 9.x).

Package keys differ by version: ``/name/1.0.0_peer@2`` (5.x, optionally with a registry host
prefix), ``/name@1.0.0(peer@2)`` (6.x) and ``name@1.0.0(peer@2)`` (9.x, where ``snapshots``
hold the dependency edges). An entry's own ``name``/``version`` fields win over its key (git,
tarball and ``file:`` packages). Peer-dependency variants of one package are one component,
with the union of their edges. A dependency written as another package's key (an alias:
``debug: obug@1.0.2(ms@2.1.3)`` in 9.x, ``/obug@1.0.2`` in 6.x) resolves to that package.

Scope: 5.x/6.x flag ``dev``/``optional`` per package and the flags are used. 9.x has no such
flags, so scope is derived by reachability from every importer's ``dependencies``
(runtime), ``optionalDependencies`` and ``devDependencies`` through the snapshots' edges
(see :mod:`._graph`). Direct dependencies are what the project's importer ``.`` (or, in 5.x
single-project lockfiles, the top-level lists) names, and its workspace members.

Workspace members: every importer other than ``.`` is a member (pnpm writes one per package
of ``pnpm-workspace.yaml``'s ``packages``). The lockfile records neither its name nor its
version, so a member whose ``package.json`` is beside the lockfile (``<importer>/package.json``)
is a component (``package-source: local``) the project depends on, with edges to what its
importer lists (a ``link:`` resolves to the member it points at); what it needs at run time
is runtime, its ``devDependencies`` are dev. A member whose ``package.json`` is not there (a
lockfile read on its own) is no component: its lists count as the project's own.

Linear time: every key is looked up in dictionaries built once (no scan over all packages
per dependency). A key that cannot be read is a diagnostic naming it; the other packages are
still returned.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict
from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineIndex,
    component,
    diagnostic,
    load_yaml_text,
    read_text,
    shaped,
    sri_hashes,
)
from steward.sbom.ecosystems._graph import scope_by_reachability
from steward.sbom.ecosystems._manifest import package_json
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

_V6 = re.compile(r"^/?(?P<name>(?:@[^/@()]+/)?[^/@()]+)@(?P<version>[^()]+)")
_V5 = re.compile(r"^(?P<host>[^/]*)/(?P<name>(?:@[^/]+/)?[^/]+)/(?P<version>[^/_]+)(?:_.*)?$")
#: a dependency value that names another package (an alias): ``name@version`` or
#: ``@scope/name@version``, where the name holds no ``:`` (unlike ``git+ssh://git@host``)
_ALIAS = re.compile(r"^(?:@[^/@:()]+/)?[^/@:()]+@[^@]")
_CODELOAD_SHA = re.compile(r"/([0-9a-f]{40})(?:$|[/#?])")
_KEY_LINE = re.compile(r"^  (\S.*?):\s*(?:\{\})?\s*$", re.MULTILINE)
_DEP_FIELDS = ("dependencies", "optionalDependencies")
_IMPORTER_FIELDS = ("dependencies", "optionalDependencies", "devDependencies")


def _parse_key(key: str) -> tuple[str, str] | None:
    key = key.strip()
    match = _V6.match(key)
    if match and "/" not in match.group("version").split("(")[0][:1]:
        return match.group("name"), match.group("version").split("(")[0]
    match = _V5.match(key)
    if match:
        return match.group("name"), match.group("version")
    return None


def _commit(key: str, resolution: dict[str, Any]) -> str | None:
    if isinstance(resolution.get("commit"), str):
        return str(resolution["commit"])
    for value in (resolution.get("tarball"), key):
        if isinstance(value, str) and "codeload" in value:
            match = _CODELOAD_SHA.search(value)
            if match:
                return match.group(1)
    return None


def _candidates(name: str, ref: str) -> tuple[str, ...]:
    """The package or snapshot keys a dependency ``name: ref`` can stand for, best first."""
    if ref.startswith("/"):  # 5.x/6.x: a full dependency path (aliases, other registries)
        return (ref, ref.split("(", 1)[0])
    base = ref.split("(", 1)[0]
    if _ALIAS.match(base):  # 9.x alias: the value is the target's own key
        return (ref, base)
    return (
        f"{name}@{ref}",
        f"{name}@{base}",
        f"/{name}@{ref}",
        f"/{name}@{base}",
        f"/{name}/{ref}",
    )


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "packages": {
        "*": {
            "name": str,
            "version": (str, int, float),
            "resolution": {"integrity": str, "tarball": str, "commit": str, "repo": str},
            "dependencies": {"*": ANY},
            "optionalDependencies": {"*": ANY},
        }
    },
    "snapshots": {"*": {"dependencies": {"*": ANY}, "optionalDependencies": {"*": ANY}}},
    "importers": {"*": {"*": ANY}},
}


class PnpmLockParser(LockfileParser):
    name = "pnpm-lock"
    ecosystem = "npm"
    filenames = ("pnpm-lock.yaml",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        data = load_yaml_text(text, path)
        if data is None:
            return result
        if not isinstance(data, dict):
            raise InputError("not a pnpm lockfile (expected a YAML mapping)", source=path)
        data = shaped(data, SPEC, path, result)
        index = LineIndex(text)
        key_lines: dict[str, int] = {}
        for match in _KEY_LINE.finditer(text):
            key_lines.setdefault(match.group(1).strip("'\""), index.line(match.start()))
        packages = as_dict(data.get("packages"))
        snapshots = as_dict(data.get("snapshots"))
        if not isinstance(packages, dict):
            raise InputError("'packages' is not a mapping", source=path)
        nodes: dict[str, Component] = {}  # every package/snapshot key (and its base) → component
        by_name_version: dict[tuple[str, str], Component] = {}
        seen: dict[tuple[str, str, str | None], Component] = {}
        flagged = False
        for key, entry in packages.items():
            key = str(key)
            entry = entry if isinstance(entry, dict) else {}
            flagged = flagged or "dev" in entry
            parsed = _parse_key(key)
            name = entry.get("name") if isinstance(entry.get("name"), str) else None
            version = entry.get("version") if isinstance(entry.get("version"), str) else None
            if name is None or version is None:
                if parsed is None:
                    if name is None and key.startswith("file:"):
                        continue  # a local package without a name: nothing to report
                    result.diagnostics.append(
                        diagnostic(path, f"invalid dependency path: {key}", key_lines.get(key))
                    )
                    continue
                name = name or parsed[0]
                version = version or parsed[1]
            if not version[:1].isdigit():
                continue  # a git/tarball key without a semver version
            resolution = as_dict(entry.get("resolution"))
            commit = _commit(key, resolution)
            identity = (name, version, commit)
            if entry.get("dev") is True:
                scope = Scope.DEV
            elif entry.get("optional") is True:
                scope = Scope.OPTIONAL
            else:
                scope = Scope.RUNTIME
            comp = seen.get(identity)
            if comp is not None:  # another peer-dependency variant (5.x/6.x keys)
                if scope is Scope.RUNTIME or (scope is Scope.OPTIONAL and comp.scope is Scope.DEV):
                    comp.scope, comp.groups = scope, _groups(scope)
            else:
                tarball = resolution.get("tarball")
                comp = component(
                    self.ecosystem,
                    name,
                    version,
                    path=path,
                    line=key_lines.get(key),
                    scope=scope,
                    groups=_groups(scope),
                    hashes=sri_hashes(resolution.get("integrity")),
                    commit=commit,
                    download_url=tarball
                    if isinstance(tarball, str) and tarball.startswith("http")
                    else None,
                )
                if commit:
                    comp.ref = f"{comp.purl}#{commit}"
                seen[identity] = comp
                result.components.append(comp)
            nodes[key] = comp
            nodes.setdefault(key.split("(", 1)[0], comp)
            if parsed is not None:
                by_name_version.setdefault(parsed, comp)
            by_name_version.setdefault((name, version), comp)

        def lookup(key: str) -> Component | None:
            found = nodes.get(key) or nodes.get(key.split("(", 1)[0])
            if found is None:
                parsed = _parse_key(key)
                found = by_name_version.get(parsed) if parsed else None
            return found

        def resolve(name: str, ref: str) -> Component | None:
            for candidate in _candidates(name, ref):
                found = nodes.get(candidate)
                if found is not None:
                    return found
            base = ref.split("(", 1)[0]
            if _ALIAS.match(base) or base.startswith("/"):
                parsed = _parse_key(base)
                return by_name_version.get(parsed) if parsed else None
            return by_name_version.get((name, base.split("_", 1)[0]))

        required: dict[str, list[str]] = {}
        optional: dict[str, list[str]] = {}
        unresolved: dict[str, list[str]] = {}
        for source in (packages, snapshots) if snapshots else (packages,):
            for key, entry in source.items():
                if not isinstance(entry, dict):
                    continue
                comp = lookup(str(key))
                if comp is None:
                    continue
                for field in _DEP_FIELDS:
                    edges = required if field == "dependencies" else optional
                    for dep, ref in as_dict(entry.get(field)).items():
                        if not isinstance(ref, str | int | float):
                            continue
                        ref = str(ref)
                        if ref.startswith("link:"):
                            continue  # a workspace package, not a component
                        target = resolve(str(dep), ref)
                        if target is None:
                            if field == "dependencies":
                                unresolved.setdefault(comp.ref, []).append(f"{dep}@{ref}")
                        elif target is not comp:
                            edges.setdefault(comp.ref, []).append(target.ref)
        for comp in result.components:
            deps = required.get(comp.ref, []) + optional.get(comp.ref, [])
            comp.dependencies = tuple(dict.fromkeys(deps))
            comp.unresolved = tuple(dict.fromkeys(unresolved.get(comp.ref, [])))
        self._importers(data, path, key_lines, result, resolve, required, optional, flagged)
        return result

    def _importers(
        self,
        data: dict[str, Any],
        path: Path,
        key_lines: dict[str, int],
        result: ParseResult,
        resolve: Callable[[str, str], Component | None],
        required: dict[str, list[str]],
        optional: dict[str, list[str]],
        flagged: bool,
    ) -> None:
        """The project's direct dependencies, its workspace members and their edges."""
        importers = data.get("importers")
        groups: list[tuple[str, dict[str, Any]]] = []
        if isinstance(importers, dict):
            groups = [(str(k), i) for k, i in importers.items() if isinstance(i, dict)]
        elif any(k in data for k in _IMPORTER_FIELDS):
            groups = [(".", data)]
        if not groups:
            return
        members = self._members(groups, path, key_lines, result)
        roots: dict[str, list[str]] = {field: [] for field in _IMPORTER_FIELDS}
        member_dev: list[str] = []
        for key, importer in groups:
            owner = members.get(key)
            found: list[str] = []
            for field in _IMPORTER_FIELDS:
                for name, spec in as_dict(importer.get(field)).items():
                    version = spec.get("version") if isinstance(spec, dict) else spec
                    if not isinstance(version, str | int | float):
                        continue
                    version = str(version)
                    if version.startswith("link:"):  # another workspace member, if one
                        target = members.get(_link_target(key, version[5:]))
                    else:
                        target = resolve(str(name), version)
                    if target is None or target is owner:
                        continue
                    if owner is None:  # the project root (or a member without package.json)
                        roots[field].append(target.ref)
                        continue
                    found.append(target.ref)
                    if field == "devDependencies":
                        member_dev.append(target.ref)
                    else:
                        edges = required if field == "dependencies" else optional
                        edges.setdefault(owner.ref, []).append(target.ref)
            if owner is not None:
                owner.dependencies = tuple(dict.fromkeys((*owner.dependencies, *found)))
        member_refs = [m.ref for m in members.values()]
        result.root_known = True
        direct = {ref for refs in roots.values() for ref in refs} | set(member_refs)
        for comp in result.components:
            comp.direct = comp.ref in direct
        result.root_dependencies = list(
            dict.fromkeys([*(r for refs in roots.values() for r in refs), *member_refs])
        )
        if not flagged:
            # the project's members are part of it: what they need at run time is runtime
            scope_by_reachability(
                result.components,
                runtime_roots=roots["dependencies"] + member_refs,
                optional_roots=roots["optionalDependencies"],
                dev_roots=roots["devDependencies"] + member_dev,
                required_edges=required,
                optional_edges=optional,
            )

    def _members(
        self,
        groups: list[tuple[str, dict[str, Any]]],
        path: Path,
        key_lines: dict[str, int],
        result: ParseResult,
    ) -> dict[str, Component]:
        """A component per workspace member (an importer other than ``.``), named and
        versioned by its ``package.json`` (pnpm records neither). An importer whose
        package.json is not there (a lockfile read on its own) or names no package is no
        component: its dependencies count as the project's own."""
        existing = {c.ref: c for c in result.components}
        members: dict[str, Component] = {}
        for key, _importer in groups:
            where = PurePosixPath(key)
            if key == "." or where.is_absolute() or ".." in where.parts:
                continue
            manifest = package_json(path.parent / where)
            if manifest is None or not manifest.name:
                continue
            comp = component(
                self.ecosystem,
                manifest.name,
                manifest.version or "",
                path=path,
                line=key_lines.get(key),
                direct=True,
            )
            if comp.ref in existing:  # the same package also installed from the store
                members[key] = existing[comp.ref]
                continue
            comp.properties["package-source"] = "local"
            existing[comp.ref] = comp
            result.components.append(comp)
            members[key] = comp
        return members


def _link_target(importer: str, link: str) -> str:
    """The importer key a ``link:`` dependency of ``importer`` points at (``packages/a`` with
    ``link:../b`` → ``packages/b``); a link that leaves the workspace points nowhere."""
    joined = posixpath.normpath(posixpath.join(importer, link))
    return "" if joined.startswith(("..", "/")) else joined


def _groups(scope: Scope) -> tuple[str, ...]:
    return {Scope.DEV: ("dev",), Scope.OPTIONAL: ("optional",)}.get(scope, ())


PARSERS = (PnpmLockParser(),)
