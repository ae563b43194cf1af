"""poetry.lock (Poetry 1.x and 2.x lock formats)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult, Scope
from steward.sbom.ecosystems._common import component, load_toml, prefixed_hashes, read_text, shaped
from steward.sbom.ecosystems._python import direct_dependencies, name_lines, normalise
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "package": [
        {
            "name": str,
            "version": str,
            "category": str,
            "optional": bool,
            "groups": [str],
            "dependencies": {"*": ANY},
            "files": [{"hash": str, "file": str}],
            "source": {"type": str, "url": str, "reference": str, "resolved_reference": str},
        }
    ],
    "metadata": {"files": {"*": [{"hash": str, "file": str}]}},
}


class PoetryLockParser(LockfileParser):
    name = "poetry-lock"
    ecosystem = "PyPI"
    filenames = ("poetry.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        packages = [p for p in as_list(data.get("package")) if isinstance(p, dict)]
        data = shaped(data, SPEC, path, result)
        lines = name_lines(text, "package")
        legacy_files = as_dict(as_dict(data.get("metadata")).get("files"))
        direct = direct_dependencies(path)
        refs: dict[str, str] = {}
        built = []
        for index, package in enumerate(packages):
            name, version = package.get("name"), package.get("version")
            if not isinstance(name, str) or not isinstance(version, str):
                continue
            groups = [g for g in as_list(package.get("groups")) if isinstance(g, str)]
            if package.get("category") == "dev" and "dev" not in groups:
                groups.append("dev")
            if package.get("optional"):
                groups.append("optional")
            labels = tuple(g for g in groups if g != "main")
            if package.get("optional"):
                scope = Scope.OPTIONAL
            elif groups and "main" not in groups and set(groups) - {"optional"}:
                scope = Scope.DEV
            else:
                scope = Scope.RUNTIME
            files = package.get("files") or as_list(legacy_files.get(name))
            hashes = prefixed_hashes(f.get("hash", "") for f in files if isinstance(f, dict))
            source = as_dict(package.get("source"))
            extra: dict[str, Any] = {}
            if source.get("type") == "git":
                extra["commit"] = source.get("resolved_reference")
                extra["vcs_url"] = source.get("url")
            elif source.get("type") in ("legacy", "url") and source.get("url"):
                extra["download_url"] = source.get("url")
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=lines[index] if index < len(lines) else None,
                scope=scope,
                groups=labels,
                hashes=hashes,
                direct=None if direct is None else normalise(name) in direct,
                **extra,
            )
            refs.setdefault(normalise(name), comp.ref)
            built.append((comp, as_dict(package.get("dependencies"))))
        for comp, deps in built:
            comp.dependencies = tuple(
                refs[normalise(d)]
                for d in deps
                if normalise(d) in refs and refs[normalise(d)] != comp.ref
            )
            result.components.append(comp)
        if direct is not None:
            result.root_dependencies = [c.ref for c in result.components if c.direct]
        return result


PARSERS = (PoetryLockParser(),)
