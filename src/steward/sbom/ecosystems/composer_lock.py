"""composer.lock (PHP Composer): ``packages`` and ``packages-dev``.

- A ``require`` entry without ``/`` is a platform package (``php``, ``ext-pcre``,
  ``composer-plugin-api``), not a component; every ``vendor/name`` is a package
  (``phpunit/phpunit`` is not a platform package because it starts with ``php``).
- Direct dependencies come from ``composer.json`` beside the lockfile (``require`` and
  ``require-dev``); without it the lockfile cannot tell, and ``direct`` stays unknown.
- Versions keep the lockfile's spelling in the version and the purl alike (``v1.2.6`` stays
  ``v1.2.6``; Composer treats both as one version and so do cdxgen and Trivy); the
  vulnerability matcher's Packagist scheme compares ``v1.2.6`` equal to ``1.2.6``.
"""

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
    shaped,
)
from steward.sbom.ecosystems._manifest import composer_json
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

_NAME = re.compile(r'"name"\s*:\s*"([^"\\]+)"')


def is_platform(name: str) -> bool:
    """Composer platform packages (``php``, ``ext-*``, ``lib-*``, ``composer-*-api``) have no
    vendor: every installable package is ``vendor/name``."""
    return "/" not in name


_PACKAGE = {
    "name": str,
    "version": str,
    "source": {"url": str, "reference": str, "type": str},
    "dist": {"url": str, "reference": str, "shasum": str, "type": str},
    "license": [str],
    "require": {"*": ANY},
}
#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {"packages": [_PACKAGE], "packages-dev": [_PACKAGE]}


class ComposerLockParser(LockfileParser):
    name = "composer-lock"
    ecosystem = "Packagist"
    filenames = ("composer.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = expect_mapping(load_json_text(text, path), path)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        data = shaped(data, SPEC, path, result)
        manifest = composer_json(path.parent)
        cursor = LineCursor(LineIndex(text).lines_of(_NAME))
        requires: list[tuple[Any, dict[str, Any]]] = []
        refs: dict[str, str] = {}
        provided: dict[str, str] = {}
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
                    version,
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
                for field in ("replace", "provide"):  # satisfies requires of these names
                    for other in as_dict(package.get(field)):
                        provided.setdefault(str(other).lower(), comp.ref)
                requires.append((comp, as_dict(package.get("require"))))
        for name, ref in provided.items():
            refs.setdefault(name, ref)
        for comp, require in requires:
            packages = [d for d in require if not is_platform(d)]
            comp.dependencies = tuple(refs[d.lower()] for d in packages if d.lower() in refs)
            comp.unresolved = tuple(d for d in packages if d.lower() not in refs)
            result.components.append(comp)
        if manifest is not None:
            result.root_known = True
            direct = {n.lower() for n in manifest.names}
            for comp in result.components:
                comp.direct = comp.name.lower() in direct
            result.root_dependencies = [refs[n] for n in sorted(direct) if n in refs]
        return result


PARSERS = (ComposerLockParser(),)
