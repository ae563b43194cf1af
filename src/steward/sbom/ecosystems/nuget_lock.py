"""NuGet packages.lock.json: packages per target framework (one component per package version)."""

from __future__ import annotations

import re
from pathlib import Path

from steward.errors import InputError
from steward.safeio import as_dict
from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    b64_digest,
    component,
    expect_mapping,
    load_json_text,
    read_text,
    shaped,
)
from steward.sbom.ecosystems.base import LockfileParser

_KEY = re.compile(r'"([^"\\]+)"\s*:\s*\{\s*"type"')


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "dependencies": {
        "*": {"*": {"type": str, "resolved": str, "contentHash": str, "dependencies": {"*": str}}}
    }
}


class NugetLockParser(LockfileParser):
    name = "nuget-lock"
    ecosystem = "NuGet"
    filenames = ("packages.lock.json",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = expect_mapping(load_json_text(text, path), path)
        frameworks = data.get("dependencies")
        if not isinstance(frameworks, dict):
            raise InputError("no 'dependencies' object", source=path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        frameworks = data.get("dependencies")
        cursor = LineCursor(LineIndex(text).lines_of(_KEY))
        by_key: dict[tuple[str, str], Component] = {}
        edges: dict[tuple[str, str], dict[str, str]] = {}
        for framework, packages in frameworks.items():
            if not isinstance(packages, dict):
                continue
            for name, info in packages.items():
                line = cursor.take(name)
                if not isinstance(info, dict) or info.get("type") == "Project":
                    continue
                version = info.get("resolved")
                if not isinstance(version, str):
                    continue
                key = (name.lower(), version)
                existing = by_key.get(key)
                if existing is not None:  # the same package in another target framework
                    existing.properties["frameworks"] += f",{framework}"
                    existing.direct = bool(existing.direct) or info.get("type") == "Direct"
                    continue
                content_hash = info.get("contentHash")
                digest = (
                    b64_digest("sha512", content_hash) if isinstance(content_hash, str) else None
                )
                comp = component(
                    self.ecosystem,
                    name,
                    version,
                    path=path,
                    line=line,
                    direct=info.get("type") == "Direct",
                    hashes=(digest,) if digest else (),
                )
                comp.properties["frameworks"] = framework
                by_key[key] = comp
                edges[key] = {str(k): str(v) for k, v in as_dict(info.get("dependencies")).items()}
                result.components.append(comp)
        refs = {(c.name.lower(), c.version): c.ref for c in result.components}
        names = {c.name.lower(): c.ref for c in result.components}
        for comp in result.components:
            deps = edges.get((comp.name.lower(), comp.version), {})
            comp.dependencies = tuple(
                refs.get((d.lower(), v), names.get(d.lower(), ""))
                for d, v in deps.items()
                if (d.lower(), v) in refs or d.lower() in names
            )
        result.root_dependencies = [c.ref for c in result.components if c.direct]
        return result


PARSERS = (NugetLockParser(),)
