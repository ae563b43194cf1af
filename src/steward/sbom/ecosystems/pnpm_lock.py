"""pnpm-lock.yaml (lockfile versions 5.x, 6.x and 9.x).

Package keys differ by version: ``/name/1.0.0_peer@2`` (5.x, optionally with a registry host
prefix), ``/name@1.0.0(peer@2)`` (6.x) and ``name@1.0.0(peer@2)`` (9.x, where ``snapshots``
hold the dependency edges). An entry's own ``name``/``version`` fields win over its key (git,
tarball and ``file:`` packages). Peer-dependency variants of one package are one component.
A key that cannot be read is a diagnostic naming it; the other packages are still returned.
"""

from __future__ import annotations

import re
from pathlib import Path
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
    sri_hashes,
)
from steward.sbom.ecosystems.base import LockfileParser

_V6 = re.compile(r"^/?(?P<name>(?:@[^/@()]+/)?[^/@()]+)@(?P<version>[^()]+)")
_V5 = re.compile(r"^(?P<host>[^/]*)/(?P<name>(?:@[^/]+/)?[^/]+)/(?P<version>[^/_]+)(?:_.*)?$")
_CODELOAD_SHA = re.compile(r"/([0-9a-f]{40})(?:$|[/#?])")
_KEY_LINE = re.compile(r"^  (\S.*?):\s*(?:\{\})?\s*$", re.MULTILINE)


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


class PnpmLockParser(LockfileParser):
    name = "pnpm-lock"
    ecosystem = "npm"
    filenames = ("pnpm-lock.yaml",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = load_yaml_text(text, path)
        if data is None:
            return result
        if not isinstance(data, dict):
            raise InputError("not a pnpm lockfile (expected a YAML mapping)", source=path)
        index = LineIndex(text)
        key_lines: dict[str, int] = {}
        for match in _KEY_LINE.finditer(text):
            key_lines.setdefault(match.group(1).strip("'\""), index.line(match.start()))
        packages = as_dict(data.get("packages"))
        snapshots = as_dict(data.get("snapshots"))
        if not isinstance(packages, dict):
            raise InputError("'packages' is not a mapping", source=path)
        by_key: dict[str, Component] = {}
        seen: dict[tuple[str, str, str | None], Component] = {}
        for key, entry in packages.items():
            entry = entry if isinstance(entry, dict) else {}
            parsed = _parse_key(str(key))
            name = entry.get("name") if isinstance(entry.get("name"), str) else None
            version = entry.get("version") if isinstance(entry.get("version"), str) else None
            if name is None or version is None:
                if parsed is None:
                    if name is None and str(key).startswith("file:"):
                        continue  # a local package without a name: nothing to report
                    result.diagnostics.append(
                        diagnostic(path, f"invalid dependency path: {key}", key_lines.get(str(key)))
                    )
                    continue
                name = name or parsed[0]
                version = version or parsed[1]
            if not version[:1].isdigit():
                continue  # a git/tarball key without a semver version
            resolution = as_dict(entry.get("resolution"))
            commit = _commit(str(key), resolution)
            identity = (name, version, commit)
            dev = entry.get("dev") is True
            if identity in seen:
                existing = seen[identity]
                if not dev:
                    existing.scope, existing.groups = Scope.RUNTIME, ()
                by_key[str(key)] = existing
                continue
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=key_lines.get(str(key)),
                scope=Scope.DEV if dev else Scope.RUNTIME,
                hashes=sri_hashes(resolution.get("integrity")),
                commit=commit,
                download_url=resolution.get("tarball")
                if str(resolution.get("tarball", "")).startswith("http")
                else None,
            )
            if commit:
                comp.ref = f"{comp.purl}#{commit}"
            seen[identity] = comp
            by_key[str(key)] = comp
            result.components.append(comp)
        self._edges(packages, snapshots, by_key, seen)
        self._direct(data, by_key, result)
        return result

    @staticmethod
    def _resolve(
        name: str, spec: str, by_key: dict[str, Component], seen: dict[Any, Component]
    ) -> Component | None:
        spec = str(spec)
        for candidate in (f"/{name}/{spec}", f"/{name}@{spec}", f"{name}@{spec}", spec):
            if candidate in by_key:
                return by_key[candidate]
        base = spec.split("(")[0].split("_")[0]
        for (n, v, _c), comp in seen.items():
            if n == name and v == base:
                return comp
        return None

    def _edges(
        self,
        packages: dict[str, Any],
        snapshots: dict[str, Any],
        by_key: dict[str, Component],
        seen: dict[Any, Component],
    ) -> None:
        sources = [packages, snapshots] if snapshots else [packages]
        for source in sources:
            for key, entry in source.items():
                if not isinstance(entry, dict):
                    continue
                comp = by_key.get(str(key)) or (
                    by_key.get(str(key).split("(")[0]) if snapshots else None
                )
                if comp is None:
                    parsed = _parse_key(str(key))
                    comp = next(
                        (c for (n, v, _), c in seen.items() if parsed and (n, v) == parsed), None
                    )
                if comp is None:
                    continue
                refs = list(comp.dependencies)
                for field in ("dependencies", "optionalDependencies"):
                    for name, spec in as_dict(entry.get(field)).items():
                        target = self._resolve(str(name), str(spec), by_key, seen)
                        if target is not None and target is not comp:
                            refs.append(target.ref)
                comp.dependencies = tuple(dict.fromkeys(refs))

    def _direct(
        self, data: dict[str, Any], by_key: dict[str, Component], result: ParseResult
    ) -> None:
        seen = {(c.name, c.version): c for c in result.components}
        importers = data.get("importers")
        groups: list[dict[str, Any]] = []
        if isinstance(importers, dict):
            groups = [i for i in importers.values() if isinstance(i, dict)]
        elif any(k in data for k in ("dependencies", "devDependencies", "optionalDependencies")):
            groups = [data]
        if not groups:
            return
        direct: list[str] = []
        for importer in groups:
            for field in ("dependencies", "devDependencies", "optionalDependencies"):
                for name, spec in as_dict(importer.get(field)).items():
                    version = spec.get("version") if isinstance(spec, dict) else spec
                    base = str(version).split("(")[0].split("_")[0]
                    comp = seen.get((str(name), base)) or self._resolve(
                        str(name),
                        str(version),
                        by_key,
                        {(c.name, c.version, c.commit): c for c in result.components},
                    )
                    if comp is not None:
                        direct.append(comp.ref)
        for comp in result.components:
            comp.direct = comp.ref in direct
        result.root_dependencies = list(dict.fromkeys(direct))


PARSERS = (PnpmLockParser(),)
