"""pdm.lock (PDM lock format 4.x)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult, Scope
from steward.sbom.ecosystems._common import component, load_toml, prefixed_hashes, read_text, shaped
from steward.sbom.ecosystems._python import direct_dependencies, name_lines, normalise
from steward.sbom.ecosystems.base import LockfileParser

_DEP_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "metadata": {"groups": [str]},
    "package": [
        {
            "name": str,
            "version": str,
            "git": str,
            "revision": str,
            "groups": [str],
            "dependencies": [str],
            "files": [{"hash": str, "file": str, "url": str}],
        }
    ],
}


class PdmLockParser(LockfileParser):
    name = "pdm-lock"
    ecosystem = "PyPI"
    filenames = ("pdm.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        lines = name_lines(text, "package")
        direct = direct_dependencies(path)
        optional_groups = set(as_list(as_dict(data.get("metadata")).get("groups"))) - {
            "default",
            "dev",
        }
        refs: dict[str, str] = {}
        built = []
        for index, package in enumerate(
            p for p in as_list(data.get("package")) if isinstance(p, dict)
        ):
            name, version = package.get("name"), package.get("version")
            if not isinstance(name, str) or not isinstance(version, str):
                continue
            groups = [g for g in as_list(package.get("groups")) if isinstance(g, str)]
            labels: tuple[str, ...]
            if "default" in groups:
                scope, labels = Scope.RUNTIME, ()
            elif groups and all(g == "dev" for g in groups):
                scope, labels = Scope.DEV, ("dev",)
            elif groups and all(g in optional_groups for g in groups):
                scope, labels = Scope.OPTIONAL, ("optional",)
            elif groups:
                scope, labels = Scope.DEV, tuple(groups)
            else:
                scope, labels = Scope.RUNTIME, ()
            extra: dict[str, Any] = {}
            if package.get("revision"):
                extra["commit"] = package["revision"]
                extra["vcs_url"] = package.get("git")
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=lines[index] if index < len(lines) else None,
                scope=scope,
                groups=labels,
                hashes=prefixed_hashes(
                    f.get("hash", "") for f in as_list(package.get("files")) if isinstance(f, dict)
                ),
                direct=None if direct is None else normalise(name) in direct,
                **extra,
            )
            refs.setdefault(normalise(name), comp.ref)
            built.append((comp, as_list(package.get("dependencies"))))
        for comp, deps in built:
            names = [m.group(1) for d in deps if isinstance(d, str) and (m := _DEP_NAME.match(d))]
            comp.dependencies = tuple(refs[normalise(n)] for n in names if normalise(n) in refs)
            result.components.append(comp)
        return result


PARSERS = (PdmLockParser(),)
