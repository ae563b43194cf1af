"""Gemfile.lock / gems.locked (Bundler).

A line-based format, parsed by indentation: ``GEM``, ``GIT`` and ``PATH`` sections list
``specs`` at four spaces (``name (version[-platform])``) with their dependencies at six;
``DEPENDENCIES`` lists the direct ones (``!`` marks non-registry sources). Platform suffixes
(``1.13.3-x86_64-linux``) are split into version and a ``platform`` property.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import component, read_text
from steward.sbom.ecosystems.base import LockfileParser

_SPEC = re.compile(r"^    ([^\s(]+) \(([^)]+)\)\s*$")
_DEP = re.compile(r"^      ([^\s(]+)")
_DIRECT = re.compile(r"^  ([^\s(!]+)")
_PLATFORMS = re.compile(
    r"-(x86_64|x86|i686|arm64|aarch64|arm|universal|java|x64|mingw|mswin|darwin|linux)[\w.-]*$"
)


class GemfileLockParser(LockfileParser):
    name = "gemfile-lock"
    ecosystem = "RubyGems"
    filenames = ("Gemfile.lock", "gems.locked")

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        section = ""
        source: dict[str, str] = {}
        current: Component | None = None
        deps: dict[str, list[str]] = {}
        direct: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            if line and not line.startswith(" "):
                section = line.strip()
                source = {}
                current = None
                continue
            if section in ("GEM", "GIT", "PATH"):
                key, sep, value = line.strip().partition(": ")
                if sep and line.startswith("  ") and not line.startswith("    "):
                    source[key] = value
                    continue
                spec = _SPEC.match(line)
                if spec:
                    name, version = spec.group(1), spec.group(2)
                    platform = _PLATFORMS.search(version)
                    extra: dict[str, Any] = {}
                    if section == "GIT":
                        extra = {"commit": source.get("revision"), "vcs_url": source.get("remote")}
                    current = component(
                        self.ecosystem,
                        name,
                        version[: platform.start()] if platform else version,
                        path=path,
                        line=number,
                        **extra,
                    )
                    if platform:
                        current.properties["platform"] = version[platform.start() + 1 :]
                    if section == "PATH":
                        current.properties["path"] = source.get("remote", "")
                    result.components.append(current)
                    deps[current.ref] = []
                    continue
                dep = _DEP.match(line)
                if dep and current is not None:
                    deps[current.ref].append(dep.group(1))
            elif section == "DEPENDENCIES":
                match = _DIRECT.match(line)
                if match:
                    direct.add(match.group(1))
        refs = {c.name: c.ref for c in result.components}
        for comp in result.components:
            comp.dependencies = tuple(refs[d] for d in deps.get(comp.ref, []) if d in refs)
            comp.direct = comp.name in direct if direct else None
        result.root_dependencies = [refs[d] for d in sorted(direct) if d in refs]
        return result


PARSERS = (GemfileLockParser(),)
