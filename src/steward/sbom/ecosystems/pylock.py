"""pylock.toml (PEP 751 lock files), as written by pip, uv and PDM.

Local directory packages (the project itself) are not components; VCS packages carry their
commit; archive, sdist and wheel hashes are kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    component,
    hex_digest,
    load_toml,
    read_text,
    shaped,
)
from steward.sbom.ecosystems._python import name_lines
from steward.sbom.ecosystems.base import LockfileParser

_NAME = re.compile(r"""^[ \t]*(?:\{[ \t]*)?name[ \t]*=[ \t]*["']([^"'\n]+)["']""", re.MULTILINE)


def _hashes(entries: list[Any]) -> tuple[Any, ...]:
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            for algorithm, value in as_dict(entry.get("hashes")).items():
                digest = hex_digest(str(algorithm), str(value))
                if digest is not None and digest not in out:
                    out.append(digest)
    return tuple(out)


_ARTIFACT = {"url": str, "path": str, "hashes": {"*": str}}
#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "packages": [
        {
            "name": str,
            "version": str,
            "vcs": {"url": str, "commit-id": str, "type": str},
            "archive": _ARTIFACT,
            "sdist": _ARTIFACT,
            "wheels": [_ARTIFACT],
        }
    ]
}


class PylockParser(LockfileParser):
    name = "pylock"
    ecosystem = "PyPI"
    filenames = ("pylock.toml",)
    patterns = ("pylock.*.toml",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        cursor = LineCursor(LineIndex(text).lines_of(_NAME))
        block_lines = name_lines(text, "packages")  # [[packages]] tables, when not inline
        for index, package in enumerate(as_list(data.get("packages"))):
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                continue
            name = package["name"]
            line = cursor.take(name)
            if block_lines and index < len(block_lines):
                line = block_lines[index]
            if "directory" in package:
                continue  # a local source tree: the project itself, not a dependency
            version = package.get("version")
            vcs = as_dict(package.get("vcs"))
            extra: dict[str, Any] = {}
            if vcs:
                extra["vcs_url"] = vcs.get("url")
                extra["commit"] = vcs.get("commit-id")
            if not isinstance(version, str):
                if not vcs:
                    continue
                version = ""
            files = [
                package.get("sdist"),
                package.get("archive"),
                *(as_list(package.get("wheels"))),
            ]
            sdist = as_dict(package.get("sdist"))
            if isinstance(sdist.get("url"), str) and sdist["url"].startswith("https://"):
                extra["download_url"] = sdist["url"]
                extra["download_hashes"] = _hashes([sdist])
            result.components.append(
                component(
                    self.ecosystem,
                    name,
                    version,
                    path=path,
                    line=line,
                    hashes=_hashes(files),
                    **extra,
                )
            )
        return result


PARSERS = (PylockParser(),)
