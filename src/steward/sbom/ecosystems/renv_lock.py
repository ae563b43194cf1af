"""renv.lock (R renv): packages installed from a package repository (CRAN or other repos).

Packages from GitHub, Bioconductor without a repository, or local sources are not registry
components of CRAN; following the corpus convention only ``Source: Repository`` packages that
name their repository are reported (GitHub ones carry their commit as a property otherwise).
"""

from __future__ import annotations

import re
from pathlib import Path

from steward.errors import InputError
from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult
from steward.sbom.ecosystems._common import (
    LineIndex,
    component,
    hex_digest,
    load_json_text,
    read_text,
    shaped,
)
from steward.sbom.ecosystems.base import LockfileParser


def _first(lines: list[int] | None) -> int | None:
    return lines[0] if lines else None


_KEY = re.compile(r'"Package"\s*:\s*"([^"\\]+)"')


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "Packages": {
        "*": {
            "Package": str,
            "Version": str,
            "Source": str,
            "Repository": str,
            "Hash": str,
            "Requirements": [str],
        }
    },
    "R": {"Repositories": [{"Name": str, "URL": str}]},
}


class RenvLockParser(LockfileParser):
    name = "renv-lock"
    ecosystem = "CRAN"
    filenames = ("renv.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_json_text(text, path)
        if not isinstance(data, dict):
            raise InputError("not an renv lockfile (expected a JSON object)", source=path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        lines = LineIndex(text).lines_of(_KEY)
        refs: dict[str, str] = {}
        requirements: dict[str, list[str]] = {}
        for key, info in as_dict(data.get("Packages")).items():
            if not isinstance(info, dict):
                continue
            if info.get("Source", "Repository") != "Repository" or not info.get("Repository"):
                continue
            name = str(info.get("Package") or key)
            version = str(info.get("Version", ""))
            digest = hex_digest("md5", str(info.get("Hash", "")))
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=_first(lines.get(name)),
                hashes=(digest,) if digest else (),
            )
            comp.properties["repository"] = str(info["Repository"])
            refs[name] = comp.ref
            requirements[comp.ref] = [str(r) for r in as_list(info.get("Requirements"))]
            result.components.append(comp)
        for comp in result.components:
            comp.dependencies = tuple(refs[r] for r in requirements[comp.ref] if r in refs)
        return result


PARSERS = (RenvLockParser(),)
