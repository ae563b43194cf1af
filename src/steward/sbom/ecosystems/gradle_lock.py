"""Gradle dependency lockfiles (``gradle.lockfile``, ``buildscript-gradle.lockfile``).

Each line is ``group:artifact:version=configuration,configuration``; lines for test
configurations only (``testCompileClasspath``…) are dev scope; ``empty=`` and comments are
skipped; a malformed line is a diagnostic.
"""

from __future__ import annotations

from pathlib import Path

from steward.sbom.component import ParseResult, Scope
from steward.sbom.ecosystems._common import MAX_LINE_CHARS, component, diagnostic, read_text
from steward.sbom.ecosystems.base import LockfileParser


class GradleLockParser(LockfileParser):
    name = "gradle-lockfile"
    ecosystem = "Maven"
    filenames = ("gradle.lockfile", "buildscript-gradle.lockfile")

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path, max_line=MAX_LINE_CHARS)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith(("#", "empty=")):
                continue
            coordinates, _, configurations = line.partition("=")
            parts = coordinates.split(":")
            if len(parts) != 3 or not all(parts):
                result.diagnostics.append(
                    diagnostic(path, f"not a lockfile entry: {line[:80]!r}", number)
                )
                continue
            group, artifact, version = parts
            configs = tuple(c for c in configurations.split(",") if c)
            dev = bool(configs) and all(c.lower().startswith("test") for c in configs)
            comp = component(
                self.ecosystem,
                f"{group}:{artifact}",
                version,
                path=path,
                line=number,
                scope=Scope.DEV if dev else Scope.RUNTIME,
                groups=configs,
            )
            result.components.append(comp)
        return result


PARSERS = (GradleLockParser(),)
