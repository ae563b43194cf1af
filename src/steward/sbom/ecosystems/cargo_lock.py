"""Cargo.lock (Rust, lockfile versions 1-4).

Registry packages carry their sha256 ``checksum`` (version 1 keeps checksums in a
``[metadata]`` table); git packages their commit. Packages without ``source`` are workspace
members or path dependencies: reported, marked ``source=local``. Dependency entries
``name``, ``name version`` or ``name version (source)`` are resolved to the exact package.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import component, hex_digest, load_toml, read_text
from steward.sbom.ecosystems._python import name_lines
from steward.sbom.ecosystems.base import LockfileParser

_GIT = re.compile(r"^git\+(?P<url>[^?#]+)(?:\?[^#]*)?#(?P<commit>[0-9a-f]{7,40})$")
_V1_CHECKSUM = re.compile(r"^checksum (\S+) (\S+) \((.+)\)$")


class CargoLockParser(LockfileParser):
    name = "cargo-lock"
    ecosystem = "crates.io"
    filenames = ("Cargo.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        lines = name_lines(text, "package")
        legacy: dict[tuple[str, str], str] = {}
        for key, value in as_dict(data.get("metadata")).items():
            match = _V1_CHECKSUM.match(str(key))
            if match and isinstance(value, str):
                legacy[(match.group(1), match.group(2))] = value
        by_name: dict[str, list[Component]] = {}
        pending: list[tuple[Component, list[str]]] = []
        for index, package in enumerate(
            p for p in as_list(data.get("package")) if isinstance(p, dict)
        ):
            name, version = package.get("name"), package.get("version")
            if not isinstance(name, str) or not isinstance(version, str):
                continue
            source = package.get("source") if isinstance(package.get("source"), str) else None
            extra: dict[str, Any] = {}
            if source and source.startswith("git+"):
                git = _GIT.match(source)
                if git:
                    extra = {"vcs_url": git.group("url"), "commit": git.group("commit")}
            checksum = package.get("checksum") or legacy.get((name, version))
            digest = hex_digest("sha256", checksum) if isinstance(checksum, str) else None
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=lines[index] if index < len(lines) else None,
                hashes=(digest,) if digest else (),
                **extra,
            )
            comp.properties["source"] = source or "local"
            if not source:
                comp.ref = f"{comp.purl}#local"
            by_name.setdefault(name, []).append(comp)
            pending.append((comp, [str(d) for d in as_list(package.get("dependencies"))]))
        for comp, deps in pending:
            refs = []
            for dep in deps:
                target = self._resolve(dep, by_name)
                if target is not None:
                    refs.append(target.ref)
            comp.dependencies = tuple(refs)
            result.components.append(comp)
        return result

    @staticmethod
    def _resolve(dep: str, by_name: dict[str, list[Component]]) -> Component | None:
        parts = dep.split(" ", 2)
        candidates = by_name.get(parts[0], [])
        if len(parts) >= 2:
            candidates = [c for c in candidates if c.version == parts[1]] or candidates
        return candidates[0] if candidates else None


PARSERS = (CargoLockParser(),)
