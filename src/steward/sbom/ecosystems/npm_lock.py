"""package-lock.json and npm-shrinkwrap.json (lockfile versions 1, 2 and 3).

Versions 2 and 3 are read from ``packages`` (keyed by install path); version 1 from the nested
``dependencies`` tree. Dependency edges are resolved the way Node resolves ``require``: from
the requiring package's directory up through each enclosing ``node_modules``. Aliases
(``npm:real@1.0``) report the real package; git dependencies keep their commit; ``file:``
and linked entries have no registry version; a dependency on a link (``node_modules/x`` with
``link: true``) resolves to the linked package, and the project depends on its
``workspaces``. When ``npm-shrinkwrap.json`` sits beside
``package-lock.json``, npm uses the shrinkwrap, so the package-lock yields nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from steward.safeio import as_dict
from steward.sbom.component import Component, Diagnostic, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    component,
    expect_mapping,
    load_json_text,
    read_text,
    shaped,
    sri_hashes,
)
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY
from steward.workspaceglob import member_match

#: every JSON string, and whether it is a key that opens an object. Matching every string
#: (not only keys) keeps the scan linear: a pattern for keys alone restarts inside each long
#: string value and goes quadratic on a long one.
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:\s*\{)?')
#: the usual pretty-printed layout: a key that opens an object at the start of its line;
#: tried first (the engine rejects non-line-starts in C), the full string scan if it misses
_KEY_LINE = re.compile(r'^[ \t]*"([^"\\\n]*(?:\\.[^"\\\n]*)*)"[ \t]*:[ \t]*\{', re.MULTILINE)
_COMMIT = re.compile(r"#([0-9a-f]{40}|[0-9a-f]{7,39})$")
_DEP_FIELDS = ("dependencies", "optionalDependencies", "peerDependencies", "devDependencies")


def _commit(resolved: str | None) -> str | None:
    if not resolved or (resolved.startswith(("http://", "https://")) and resolved.endswith(".tgz")):
        return None
    match = _COMMIT.search(resolved)
    return match.group(1) if match else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _scope(entry: dict[str, Any]) -> tuple[Scope, tuple[str, ...]]:
    groups: list[str] = []
    if entry.get("inBundle") or entry.get("bundled"):
        groups.append("bundled")
    if entry.get("devOptional"):
        groups += ["dev", "optional"]
    if entry.get("dev"):
        groups.append("dev")
    if entry.get("optional"):
        groups.append("optional")
    unique = tuple(sorted(set(groups)))
    if "dev" in unique:
        return Scope.DEV, unique
    if "optional" in unique:
        return Scope.OPTIONAL, unique
    return Scope.RUNTIME, unique


def _name_from_path(path: str) -> str:
    parts = path.split("node_modules/")
    last = parts[-1].rstrip("/")
    return (
        last
        if "node_modules/" in path or "/" not in last or last.startswith("@")
        else last.rsplit("/", 1)[-1]
    )


def _v1_version(raw: str) -> tuple[str, str, str | None]:
    """(name override, version, commit) from a v1 ``version`` value."""
    if raw.startswith("npm:"):
        real, _, version = raw[4:].rpartition("@")
        return real, version, None
    if re.match(r"^\d", raw):
        return "", raw, None
    return "", "", _commit(raw)


_V1: dict[str, Any] = {"version": str, "integrity": str, "resolved": str}
_V1["dependencies"] = {"*": _V1}
_DEPS = {"*": ANY}
#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "name": str,
    "version": str,
    "packages": {
        "*": {
            "name": str,
            "version": str,
            "resolved": str,
            "integrity": str,
            "license": ANY,
            **dict.fromkeys(_DEP_FIELDS, _DEPS),
        }
    },
    "dependencies": {"*": _V1},
}


class NpmLockParser(LockfileParser):
    name = "npm-lock"
    ecosystem = "npm"
    filenames = ("package-lock.json", "npm-shrinkwrap.json")

    def parse(self, path: Path) -> ParseResult:
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if path.name == "package-lock.json" and (path.parent / "npm-shrinkwrap.json").is_file():
            result.diagnostics.append(
                Diagnostic(str(path), "npm-shrinkwrap.json beside it takes precedence; skipped")
            )
            return result
        text = read_text(path)
        data = expect_mapping(load_json_text(text, path), path)
        data = shaped(data, SPEC, path, result)
        index = LineIndex(text)
        packages = data.get("packages")
        if isinstance(packages, dict) and packages:
            self._v2(path, packages, index, result)
        else:
            self._v1(path, as_dict(data.get("dependencies")), index, result)
        return result

    # ------------------------------------------------------------------ v2 / v3

    def _v2(
        self, path: Path, packages: dict[str, Any], index: LineIndex, result: ParseResult
    ) -> None:
        first_line: dict[str, int] = {}
        for match in _KEY_LINE.finditer(index.text):
            first_line.setdefault(match.group(1), index.line(match.start()))
        if len(first_line) < len(packages) - 1:  # not one package per line: scan every string
            for match in _STRING.finditer(index.text):
                if match.group(2):
                    first_line.setdefault(match.group(1), index.line(match.start()))
        root = as_dict(packages.get(""))
        result.project_name = root.get("name")
        result.project_version = root.get("version")
        root_deps = {d for f in _DEP_FIELDS for d in as_dict(root.get(f))}
        by_path: dict[str, Component] = {}
        seen: dict[tuple[str, str, str | None], Component] = {}
        for key, entry in packages.items():
            if key == "" or not isinstance(entry, dict) or entry.get("link"):
                continue
            name = _str(entry.get("name")) or _name_from_path(key)
            version = _str(entry.get("version"))
            resolved = _str(entry.get("resolved")) or None
            commit = _commit(resolved)
            identity = (name, version, commit)
            scope, groups = _scope(entry)
            if identity in seen:  # the same package installed at several paths
                existing = seen[identity]
                if scope is Scope.RUNTIME and existing.scope is not Scope.RUNTIME:
                    existing.scope, existing.groups = Scope.RUNTIME, ()
                by_path[key] = existing
                continue
            top_level = (
                key == f"node_modules/{name}"
                or key == f"node_modules/{key.split('node_modules/')[-1]}"
            )
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=first_line.get(key),
                scope=scope,
                groups=groups,
                hashes=sri_hashes(entry.get("integrity")),
                direct=top_level and key.split("node_modules/")[-1] in root_deps,
                commit=commit,
                download_url=resolved if resolved and resolved.startswith("http") else None,
                vcs_url=resolved if commit else None,
            )
            if commit:
                comp.ref = f"{comp.purl}#{commit}"
            if "node_modules/" not in key:  # a workspace or file: directory of the project
                comp.properties["package-source"] = "local"
            if isinstance(entry.get("license"), str):
                comp.licenses = (entry["license"],)
            seen[identity] = comp
            by_path[key] = comp
            result.components.append(comp)
        # a link (a workspace, or a ``file:`` directory) is installed at its node_modules path:
        # a dependency on it resolves to its target; the project depends on its workspaces
        workspaces = [str(w) for w in root.get("workspaces") or [] if isinstance(w, str)]
        members: list[Component] = []
        for key, entry in packages.items():
            target = _str(as_dict(entry).get("resolved")) if as_dict(entry).get("link") else ""
            if not target or target not in by_path:
                continue
            by_path[key] = by_path[target]
            if key.count("node_modules/") == 1 and any(member_match(target, w) for w in workspaces):
                members.append(by_path[target])
        for member in members:
            member.direct = True
        for key, entry in packages.items():
            owner = by_path.get(key)
            if owner is None or not isinstance(entry, dict) or entry.get("link"):
                continue
            found: list[str] = []
            missing: list[str] = []
            for field in _DEP_FIELDS[:3]:
                for dep in as_dict(entry.get(field)):
                    ref = self._resolve(key, dep, by_path)
                    if ref is not None:
                        if ref != owner.ref:
                            found.append(ref)
                    elif field == "dependencies":  # optional and peer ones may be absent
                        missing.append(dep)
            owner.dependencies = tuple(dict.fromkeys((*owner.dependencies, *found)))
            owner.unresolved = tuple(dict.fromkeys((*owner.unresolved, *missing)))
        result.records_graph = True
        result.root_known = True
        result.root_dependencies = list(
            dict.fromkeys(
                [
                    by_path[f"node_modules/{d}"].ref
                    for d in sorted(root_deps)
                    if f"node_modules/{d}" in by_path
                ]
                + [m.ref for m in members]
            )
        )

    @staticmethod
    def _resolve(key: str, dep: str, by_path: dict[str, Component]) -> str | None:
        base = key
        while True:
            candidate = f"{base}/node_modules/{dep}" if base else f"node_modules/{dep}"
            if candidate in by_path:
                return by_path[candidate].ref
            if not base:
                return None
            cut = base.rfind("/node_modules/")
            base = base[:cut] if cut >= 0 else ""

    # ----------------------------------------------------------------------- v1

    def _v1(
        self, path: Path, dependencies: dict[str, Any], index: LineIndex, result: ParseResult
    ) -> None:
        keys: dict[str, list[int]] = {}
        for match in _STRING.finditer(index.text):
            if match.group(2):
                keys.setdefault(match.group(1), []).append(index.line(match.start()))
        cursor = LineCursor(keys)
        direct = self._package_json_deps(path)
        result.root_known = direct is not None
        seen: dict[tuple[str, str, str | None], Component] = {}

        def walk(deps: dict[str, Any], depth: int) -> None:
            for alias, entry in deps.items():
                if not isinstance(entry, dict):
                    continue
                line = cursor.take(alias)
                raw = _str(entry.get("version"))
                real, version, commit = _v1_version(raw)
                name = real or alias
                scope, groups = _scope(entry)
                existing = seen.get((name, version, commit))
                if existing is not None:  # the same package installed at several paths
                    if scope is Scope.RUNTIME and existing.scope is not Scope.RUNTIME:
                        existing.scope, existing.groups = Scope.RUNTIME, ()
                    if isinstance(entry.get("dependencies"), dict) and depth < 200:
                        walk(entry["dependencies"], depth + 1)
                    continue
                comp = component(
                    self.ecosystem,
                    name,
                    version,
                    path=path,
                    line=line,
                    scope=scope,
                    groups=groups,
                    hashes=sri_hashes(entry.get("integrity")),
                    commit=commit,
                    direct=(alias in direct)
                    if direct is not None and depth == 0
                    else (False if direct is not None else None),
                )
                if commit:
                    comp.ref = f"{comp.purl}#{commit}"
                seen[(name, version, commit)] = comp
                result.components.append(comp)
                if isinstance(entry.get("dependencies"), dict) and depth < 200:
                    walk(entry["dependencies"], depth + 1)

        walk(dependencies, 0)

    @staticmethod
    def _package_json_deps(path: Path) -> set[str] | None:
        manifest = path.parent / "package.json"
        if not manifest.is_file():
            return None
        try:
            data = load_json_text(read_text(manifest), manifest)
        except Exception:
            return None
        if not isinstance(data, dict):
            return None
        return {d for f in _DEP_FIELDS for d in as_dict(data.get(f))}


PARSERS = (NpmLockParser(),)
