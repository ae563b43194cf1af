"""Pipfile.lock (pipenv): ``default`` and ``develop`` sections.

A package locked at the same version in both sections is one component with runtime scope.
"""

from __future__ import annotations

import re
from pathlib import Path

from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineIndex,
    component,
    expect_mapping,
    load_json_text,
    prefixed_hashes,
    read_text,
    shaped,
)
from steward.sbom.ecosystems._python import direct_dependencies, normalise
from steward.sbom.ecosystems.base import LockfileParser

_KEY = re.compile(r'"([^"\\]+)"\s*:\s*\{')


_GROUP = {"*": {"version": str, "hashes": [str], "markers": str, "marker": str}}
#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {"default": _GROUP, "develop": _GROUP}


class PipfileLockParser(LockfileParser):
    name = "pipfile-lock"
    ecosystem = "PyPI"
    filenames = ("Pipfile.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if not text.strip():
            return result
        data = expect_mapping(load_json_text(text, path), path)
        data = shaped(data, SPEC, path, result)
        index = LineIndex(text)
        lines = index.lines_of(_KEY)
        used: dict[str, int] = {}
        direct = direct_dependencies(path)
        seen: set[tuple[str, str]] = set()
        for section, scope in (("default", Scope.RUNTIME), ("develop", Scope.DEV)):
            for name, info in as_dict(data.get(section)).items():
                if not isinstance(info, dict):
                    continue
                version = info.get("version")
                if not isinstance(version, str) or not version.startswith("=="):
                    continue  # VCS/path entries and unpinned ones have no registry version
                version = version[2:].lstrip("=")
                if (normalise(name), version) in seen:
                    continue  # in both sections: one component, with the runtime scope
                seen.add((normalise(name), version))
                candidates = lines.get(name, [])
                n = used.get(name, 0)
                used[name] = n + 1
                comp = component(
                    self.ecosystem,
                    name,
                    version,
                    path=path,
                    line=candidates[n] if n < len(candidates) else None,
                    scope=scope,
                    groups=("dev",) if scope is Scope.DEV else (),
                    hashes=prefixed_hashes(as_list(info.get("hashes"))),
                    direct=None if direct is None else normalise(name) in direct,
                )
                comp.ref = f"{comp.purl}#{section}"
                if info.get("markers"):
                    comp.properties["marker"] = str(info["markers"])
                result.components.append(comp)
        return result


PARSERS = (PipfileLockParser(),)
