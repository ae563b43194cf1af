"""conan.lock (C/C++ Conan): lockfile 0.5 (Conan 2) ``requires`` lists and 0.4-and-older
``graph_lock`` nodes (Conan 1). References look like
``name/version@user/channel#recipe-revision%timestamp:package-id#package-revision``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict, as_list
from steward.sbom.component import ParseResult, Scope
from steward.sbom.ecosystems._common import LineIndex, component, load_json_text, read_text, shaped
from steward.sbom.ecosystems.base import LockfileParser

_REF = re.compile(
    r"^(?P<name>[^/@#:%\s]+)/(?P<version>[^@#:%\s]+)(?:@(?P<user>[^/#:%]+)/(?P<channel>[^#:%]+))?(?:#(?P<rrev>[^%:]+))?"
)
_V2_SECTIONS = (
    ("requires", Scope.RUNTIME, "requires"),
    ("build_requires", Scope.DEV, "build-requires"),
    ("python_requires", Scope.DEV, "python-requires"),
)


def _parse_ref(ref: str) -> re.Match[str] | None:
    return _REF.match(ref.strip())


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "requires": [str],
    "build_requires": [str],
    "python_requires": [str],
    "graph_lock": {"nodes": {"*": {"ref": str, "pref": str, "path": str}}},
}


class ConanLockParser(LockfileParser):
    name = "conan-lock"
    ecosystem = "ConanCenter"
    filenames = ("conan.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_json_text(text, path)
        if not isinstance(data, dict):
            raise InputError("not a conan lockfile (expected a JSON object)", source=path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        data = shaped(data, SPEC, path, result)
        index = LineIndex(text)

        cursor = [0]

        def line_of(ref: str) -> int | None:
            # refs come in document order: search on from the last one (linear), not from
            # the start of the file each time (quadratic on a large lockfile)
            at = text.find(f'"{ref}"', cursor[0])
            if at < 0:
                at = text.find(f'"{ref}"')
            if at < 0:
                return None
            cursor[0] = at + len(ref)
            return index.line(at)

        if "graph_lock" not in data:
            for key, scope, group in _V2_SECTIONS:
                for ref in as_list(data.get(key)):
                    match = _parse_ref(str(ref))
                    if match is None:
                        continue
                    result.components.append(
                        self._component(match, path, line_of(str(ref)), scope, group)
                    )
            return result
        nodes: dict[str, Any] = as_dict(as_dict(data.get("graph_lock")).get("nodes"))
        build_only = set()
        for node in nodes.values():
            if isinstance(node, dict) and node.get("path"):
                build_only |= {str(n) for n in as_list(node.get("build_requires"))}
        for node_id, node in nodes.items():
            if not isinstance(node, dict) or node.get("path"):
                continue  # the consumer (root conanfile), not a dependency
            ref = node.get("ref") or node.get("pref")
            if not isinstance(ref, str):
                continue
            match = _parse_ref(ref)
            if match is None:
                continue
            dev = node_id in build_only
            result.components.append(
                self._component(match, path, line_of(ref), Scope.DEV if dev else Scope.RUNTIME, "")
            )
        return result

    def _component(
        self, match: re.Match[str], path: Path, line: int | None, scope: Scope, group: str
    ) -> Any:
        qualifiers = {}
        if match.group("user"):
            qualifiers = {"user": match.group("user"), "channel": match.group("channel")}
        comp = component(
            self.ecosystem,
            match.group("name"),
            match.group("version"),
            path=path,
            line=line,
            scope=scope,
            groups=(group,) if group else (),
            purl_qualifiers=qualifiers or None,
        )
        if match.group("rrev"):
            comp.properties["recipe_revision"] = match.group("rrev")
        return comp


PARSERS = (ConanLockParser(),)
