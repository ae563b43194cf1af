"""Gemfile.lock / gems.locked (Bundler).

A line-based format, parsed by indentation: ``GEM``, ``GIT`` and ``PATH`` sections list
``specs`` at four spaces (``name (version[-platform])``) with their dependencies at six;
``DEPENDENCIES`` lists the direct ones (``!`` marks non-registry sources). Platform suffixes
(``1.13.3-x86_64-linux``) are split into version and platform: the variants of one gem
version (``nokogiri (1.14.3)`` for ``ruby`` and ``nokogiri (1.14.3-x86_64-linux)``) are one
component that keeps the union of their dependencies and lists every platform in the
``platforms`` property. Bundler resolves a dependency by name, so edges go to every locked
version of that name (in practice one).

Scope: a lockfile does not say which gems are for development. When the ``Gemfile`` beside
it is readable, a gem reached only from gems declared in its ``development``/``test`` groups
(or a gemspec's development dependencies) is dev; everything else stays runtime.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import MAX_LINE_CHARS, component, read_text
from steward.sbom.ecosystems._graph import scope_by_reachability
from steward.sbom.ecosystems._manifest import gemfile
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
        text = read_text(path, max_line=MAX_LINE_CHARS)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        section = ""
        source: dict[str, str] = {}
        current: Component | None = None
        seen: dict[tuple[str, str, str], Component] = {}
        platforms: dict[str, list[str]] = {}
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
                    plain = version[: platform.start()] if platform else version
                    identity = (section, name, plain)
                    current = seen.get(identity)
                    if current is None:
                        extra: dict[str, Any] = {}
                        if section == "GIT":
                            extra = {
                                "commit": source.get("revision"),
                                "vcs_url": source.get("remote"),
                            }
                        current = component(
                            self.ecosystem, name, plain, path=path, line=number, **extra
                        )
                        if section == "PATH":
                            current.properties["path"] = source.get("remote", "")
                            current.ref = f"{current.purl}#path"
                        elif section == "GIT":
                            current.ref = f"{current.purl}#{source.get('revision', 'git')}"
                        seen[identity] = current
                        result.components.append(current)
                        deps[current.ref] = []
                        platforms[current.ref] = []
                    platforms[current.ref].append(
                        version[platform.start() + 1 :] if platform else "ruby"
                    )
                    continue
                dep = _DEP.match(line)
                if dep and current is not None:
                    deps[current.ref].append(dep.group(1))
            elif section == "DEPENDENCIES":
                match = _DIRECT.match(line)
                if match:
                    direct.add(match.group(1))
        by_name: dict[str, list[str]] = {}
        for comp in result.components:
            by_name.setdefault(comp.name, []).append(comp.ref)
        for comp in result.components:
            names = list(dict.fromkeys(deps.get(comp.ref, [])))
            comp.dependencies = tuple(
                ref for n in names for ref in by_name.get(n, []) if ref != comp.ref
            )
            # bundler itself is not locked as a spec; any other missing name is a gap
            comp.unresolved = tuple(n for n in names if n not in by_name and n != "bundler")
            variants = list(dict.fromkeys(platforms.get(comp.ref, [])))
            if variants != ["ruby"]:
                comp.properties["platforms"] = ",".join(variants)
            comp.direct = comp.name in direct if direct else None
        if direct:
            result.root_known = True
            result.root_dependencies = [r for d in sorted(direct) for r in by_name.get(d, [])]
            manifest = gemfile(path.parent)
            if manifest is not None:
                dev_only = set(manifest.dev) - set(manifest.runtime)
                scope_by_reachability(
                    result.components,
                    runtime_roots=[r for d in direct - dev_only for r in by_name.get(d, [])],
                    optional_roots=[],
                    dev_roots=[r for d in direct & dev_only for r in by_name.get(d, [])],
                    required_edges={c.ref: c.dependencies for c in result.components},
                    optional_edges={},
                )
        return result


PARSERS = (GemfileLockParser(),)
