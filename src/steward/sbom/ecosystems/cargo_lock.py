"""Cargo.lock (Rust, lockfile versions 1-4).

Registry packages carry their sha256 ``checksum`` (version 1 keeps checksums in a
``[metadata]`` table); git packages their commit. Where a package comes from is one
property, ``package-source``: the registry or git URL from the lockfile, or ``local`` for a
package without a source (a workspace member or path dependency, whose ref ends in
``#local``); a registry other than crates.io is also the purl's ``repository_url``.

Dependency entries ``name``, ``name version`` or ``name version (source)`` resolve to the
package with exactly that name, version and source: a registry crate is never confused with
a local package of the same name and version. An entry without a source that several
packages match is the one local package among them (cargo never writes a path source; its
resolver's ``lookup_id`` does the same); otherwise it is ambiguous and left unresolved.

The project: with a ``Cargo.toml`` beside the lockfile whose ``[package]`` is locked, that
package is the root (name and version from the manifest) and its dependencies are the direct
ones; otherwise (a virtual workspace, or no manifest) the root depends on the workspace
members. With a ``Cargo.toml``, scope follows reachability: what only the members'
``[dev-dependencies]`` reach is dev (Cargo.lock records no scope).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import component, hex_digest, load_toml, read_text, shaped
from steward.sbom.ecosystems._graph import scope_by_reachability
from steward.sbom.ecosystems._manifest import Manifest, cargo_members, cargo_toml
from steward.sbom.ecosystems._python import name_lines
from steward.sbom.ecosystems.base import LockfileParser

_GIT = re.compile(r"^git\+(?P<url>[^?#]+)(?:\?[^#]*)?#(?P<commit>[0-9a-f]{7,40})$")
_V1_CHECKSUM = re.compile(r"^checksum (\S+) (\S+) \((.+)\)$")


_CRATES_IO = (
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
)


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "package": [
        {"name": str, "version": str, "source": str, "checksum": str, "dependencies": [str]}
    ],
    "metadata": {"*": str},
}


class CargoLockParser(LockfileParser):
    name = "cargo-lock"
    ecosystem = "crates.io"
    filenames = ("Cargo.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        data = shaped(data, SPEC, path, result)
        lines = name_lines(text, "package")
        legacy: dict[tuple[str, str], str] = {}
        for key, value in as_dict(data.get("metadata")).items():
            match = _V1_CHECKSUM.match(str(key))
            if match and isinstance(value, str):
                legacy[(match.group(1), match.group(2))] = value
        by_name: dict[str, list[tuple[Component, str]]] = {}
        pending: list[tuple[Component, list[str]]] = []
        for index, package in enumerate(
            p for p in as_list(data.get("package")) if isinstance(p, dict)
        ):
            name, version = package.get("name"), package.get("version")
            if not isinstance(name, str) or not isinstance(version, str):
                continue
            source = package.get("source") if isinstance(package.get("source"), str) else None
            extra: dict[str, Any] = {}
            qualifiers: dict[str, str] | None = None
            if source and source.startswith("git+"):
                git = _GIT.match(source)
                if git:
                    extra = {"vcs_url": git.group("url"), "commit": git.group("commit")}
            elif source and source not in _CRATES_IO:
                qualifiers = {"repository_url": source.split("+", 1)[-1]}
            checksum = package.get("checksum") or legacy.get((name, version))
            digest = hex_digest("sha256", checksum) if isinstance(checksum, str) else None
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=lines[index] if index < len(lines) else None,
                hashes=(digest,) if digest else (),
                purl_qualifiers=qualifiers,
                **extra,
            )
            comp.properties["package-source"] = source or "local"
            if not source:
                comp.ref = f"{comp.purl}#local"
            elif source.startswith("git+") and comp.commit:
                comp.ref = f"{comp.purl}#{comp.commit}"
            by_name.setdefault(name, []).append((comp, source or ""))
            pending.append((comp, [str(d) for d in as_list(package.get("dependencies"))]))
        for comp, deps in pending:
            found: list[str] = []
            missing: list[str] = []
            for dep in deps:
                target = self._resolve(dep, by_name)
                if target is None:
                    missing.append(dep)
                elif target is not comp:
                    found.append(target.ref)
            comp.dependencies = tuple(dict.fromkeys(found))
            comp.unresolved = tuple(missing)
        local = [c for c, _ in pending if c.ref.endswith("#local")]
        manifest = cargo_toml(path.parent)
        project = None
        if manifest is not None and manifest.name:
            project = next(
                (c for c in local if c.name == manifest.name and c.version == manifest.version),
                None,
            )
        if project is not None:
            result.project_name, result.project_version = project.name, project.version
            result.project_source = str(manifest.path) if manifest else None
            result.root_dependencies = list(project.dependencies)
        else:
            # a virtual workspace depends on its members (its Cargo.toml names them), not on
            # the path dependencies they pull in; without the list, on every local package
            members = (
                {m.name for m in cargo_members(path.parent, manifest.workspaces)}
                if manifest is not None
                else set()
            )
            result.root_dependencies = [
                c.ref for c in local if not members or c.name in members
            ] or [c.ref for c in local]
        result.root_known = bool(result.root_dependencies) or project is not None
        if manifest is not None:
            self._scope(manifest, project, [c for c, _ in pending], path.parent)
        direct = set(result.root_dependencies)
        for comp, _deps in pending:
            if comp is project:
                continue
            if result.root_known:
                comp.direct = comp.ref in direct
            result.components.append(comp)
        return result

    @staticmethod
    def _scope(
        manifest: Manifest, project: Component | None, components: list[Component], base: Path
    ) -> None:
        """Scope by reachability. Cargo.lock lists a workspace member's dev-dependencies among
        its dependencies; the member's Cargo.toml (the one beside the lockfile, or one of its
        ``workspace.members``) says which they are. Edges of packages without a manifest read
        here, and renamed or target-specific dependencies, count as runtime (``--exclude-dev``
        never drops what is not proven development-only)."""
        manifests = {m.name: m for m in cargo_members(base, manifest.workspaces) if m.name}
        if manifest.name:
            manifests[manifest.name] = manifest
        name_of = {c.ref: c.name for c in components}
        required: dict[str, list[str]] = {}
        dev_roots: list[str] = []
        for comp in components:
            own = manifests.get(comp.name) if comp.ref.endswith("#local") else None
            edges = list(comp.dependencies)
            if own is not None:
                dev_only = set(own.dev) - set(own.runtime)
                dev_edges = [r for r in edges if name_of.get(r) in dev_only]
                edges = [r for r in edges if r not in dev_edges]
                dev_roots += dev_edges
            required[comp.ref] = edges
        if project is not None:
            runtime_roots = required.get(project.ref, [])
        else:
            runtime_roots = [c.ref for c in components if c.ref.endswith("#local")]
        scope_by_reachability(
            [c for c in components if c is not project],
            runtime_roots=runtime_roots,
            optional_roots=[],
            dev_roots=dev_roots,
            required_edges=required,
            optional_edges={},
        )

    @staticmethod
    def _resolve(dep: str, by_name: dict[str, list[tuple[Component, str]]]) -> Component | None:
        name, _, rest = dep.partition(" ")
        version, _, source = rest.partition(" ")
        candidates = by_name.get(name, [])
        if version:
            candidates = [c for c in candidates if c[0].version == version]
        if source:
            wanted = source.strip("()")
            candidates = [c for c in candidates if c[1] == wanted]
        elif len(candidates) > 1:
            # no source written: cargo never serialises a path source, so the one path
            # package of that name (and version) is meant (cargo's resolver, lookup_id);
            # several path packages, or several registry ones, are ambiguous
            local = [c for c in candidates if not c[1]]
            candidates = local if local else candidates
            if len(candidates) > 1:
                return None
        return candidates[0][0] if candidates else None


PARSERS = (CargoLockParser(),)
