"""composer.lock (PHP Composer): ``packages`` and ``packages-dev``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import Hash, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    component,
    expect_mapping,
    hex_digest,
    load_json_text,
    read_text,
)
from steward.sbom.ecosystems.base import LockfileParser

_NAME = re.compile(r'"name"\s*:\s*"([^"\\]+)"')
_PLATFORM = re.compile(r"^(php|hhvm|ext-|lib-|composer-)", re.IGNORECASE)


class ComposerLockParser(LockfileParser):
    name = "composer-lock"
    ecosystem = "Packagist"
    filenames = ("composer.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = expect_mapping(load_json_text(text, path), path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        cursor = LineCursor(LineIndex(text).lines_of(_NAME))
        requires: list[tuple[Any, dict[str, Any]]] = []
        refs: dict[str, str] = {}
        for section, scope in (("packages", Scope.RUNTIME), ("packages-dev", Scope.DEV)):
            for package in as_list(data.get(section)):
                if not isinstance(package, dict):
                    continue
                name, version = package.get("name"), package.get("version")
                if not isinstance(name, str) or not isinstance(version, str):
                    continue
                line = cursor.take(name)
                source = as_dict(package.get("source"))
                dist = as_dict(package.get("dist"))
                commit = source.get("reference") or dist.get("reference")
                hashes: tuple[Hash, ...] = ()
                shasum = dist.get("shasum")
                if isinstance(shasum, str) and shasum:
                    digest = hex_digest("sha1", shasum)
                    hashes = (digest,) if digest else ()
                comp = component(
                    self.ecosystem,
                    name,
                    version.removeprefix("v") if re.match(r"^v\d", version) else version,
                    path=path,
                    line=line,
                    scope=scope,
                    groups=("dev",) if scope is Scope.DEV else (),
                    hashes=hashes,
                    commit=commit
                    if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{7,40}", commit)
                    else None,
                    download_url=dist.get("url") if isinstance(dist.get("url"), str) else None,
                    vcs_url=source.get("url") if isinstance(source.get("url"), str) else None,
                )
                comp.version = (
                    version  # the lockfile's spelling (Composer accepts both v1.0 and 1.0)
                )
                comp.ref = f"{comp.purl}#{section}"
                authors = package.get("authors")
                if isinstance(authors, list) and authors and isinstance(authors[0], dict):
                    first = authors[0].get("name")
                    comp.supplier = first if isinstance(first, str) and first else None
                licences = package.get("license")
                if isinstance(licences, list) and licences:
                    # several entries mean the user may choose (Composer's docs): an OR
                    names = [str(x) for x in licences]
                    comp.licenses = (names[0] if len(names) == 1 else " OR ".join(names),)
                refs.setdefault(name.lower(), comp.ref)
                requires.append((comp, as_dict(package.get("require"))))
        for comp, require in requires:
            comp.dependencies = tuple(
                refs[d.lower()] for d in require if not _PLATFORM.match(d) and d.lower() in refs
            )
            result.components.append(comp)
        return result


PARSERS = (ComposerLockParser(),)
