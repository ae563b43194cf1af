"""pubspec.lock (Dart / Flutter pub): hosted, git, path and sdk packages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict
from steward.sbom.component import Hash, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineIndex,
    component,
    hex_digest,
    load_yaml_text,
    read_text,
    shaped,
)
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import OneOf


def _first(lines: list[int] | None) -> int | None:
    return lines[0] if lines else None


_KEY = re.compile(r"^  ([A-Za-z0-9_]+):\s*$", re.MULTILINE)


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "packages": {
        "*": {
            "version": (str, int, float),
            "dependency": str,
            "source": str,
            "description": OneOf(
                str, {"name": str, "url": str, "resolved-ref": str, "path": str, "sha256": str}
            ),
        }
    }
}


class PubspecLockParser(LockfileParser):
    name = "pubspec-lock"
    ecosystem = "Pub"
    filenames = ("pubspec.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_yaml_text(text, path)
        if not isinstance(data, dict):
            raise InputError("not a pubspec lockfile (expected a YAML mapping)", source=path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        lines = LineIndex(text).lines_of(_KEY)
        for name, info in as_dict(data.get("packages")).items():
            if not isinstance(info, dict):
                continue
            version = str(info.get("version", ""))
            dependency = str(info.get("dependency", ""))
            description: Any = info.get("description")
            extra: dict[str, Any] = {}
            hashes: tuple[Hash, ...] = ()
            if isinstance(description, dict):
                if info.get("source") == "git":
                    extra["commit"] = description.get("resolved-ref")
                    extra["vcs_url"] = description.get("url")
                if isinstance(description.get("sha256"), str):
                    digest = hex_digest("sha256", description["sha256"])
                    hashes = (digest,) if digest else ()
            dev = dependency == "direct dev"
            comp = component(
                self.ecosystem,
                str(name),
                version,
                path=path,
                line=_first(lines.get(str(name))),
                scope=Scope.DEV if dev else Scope.RUNTIME,
                groups=("dev",) if dev else (),
                direct=dependency.startswith("direct") if dependency else None,
                hashes=hashes,
                **extra,
            )
            comp.properties["source"] = str(info.get("source", ""))
            result.components.append(comp)
        result.root_dependencies = [c.ref for c in result.components if c.direct]
        return result


PARSERS = (PubspecLockParser(),)
