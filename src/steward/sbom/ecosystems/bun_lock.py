"""bun.lock (Bun's text lockfile, JSON with comments and trailing commas).

The JSONC is normalised by a small string-aware scanner (comments and trailing commas removed,
line breaks kept so positions stay right) and then parsed with orjson; no JSON5 library is
needed for what bun writes. Each ``packages`` value is a tuple whose first item is
``name@version`` (registry packages) or ``name@github:owner/repo#commit``-style specs (git,
with the commit kept); a malformed tuple is a diagnostic naming the package.

Scope: bun.lock flags no package as development-only, but it records what decides it: each
workspace's ``dependencies``, ``devDependencies``, ``optionalDependencies`` and
``peerDependencies`` (``workspaces``), and each package's own lists (the mapping in its
tuple). Scope is derived by reachability from those lists (see :mod:`._graph`); a dependency
resolves as Node does, to the nearest package key up the nesting (``chalk/supports-color``
before ``supports-color``). Workspace members (``name@workspace:path``) are runtime, local
(``package-source``: no registry archive) and versioned by their ``package.json``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from steward.safeio import as_dict
from steward.sbom.component import Component, ParseResult
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    component,
    diagnostic,
    expect_mapping,
    load_json_text,
    read_text,
    shaped,
    sri_hashes,
)
from steward.sbom.ecosystems._graph import scope_by_reachability
from steward.sbom.ecosystems._manifest import package_json
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

_KEY = re.compile(r'^[ \t]*"((?=[^"])[^"\\]*(?:\\.[^"\\]*)*)"\s*:\s*\[', re.MULTILINE)
_COMMIT = re.compile(r"#([0-9a-f]{7,40})$")


def strip_jsonc(text: str) -> str:
    """JSON with ``//``/``/* */`` comments and trailing commas → strict JSON (same lines)."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
            continue
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "]}":
                i += 1  # a trailing comma
                continue
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


_WS_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def _segments(key: str) -> list[str]:
    """The package names of a nested key: ``@a/b/c`` → ``["@a/b", "c"]``."""
    parts = key.split("/")
    out: list[str] = []
    i = 0
    while i < len(parts):
        if parts[i].startswith("@") and i + 1 < len(parts):
            out.append(f"{parts[i]}/{parts[i + 1]}")
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def _resolve(keys: dict[str, Component], within: list[str], dep: str) -> Component | None:
    """The package ``dep`` is, seen from the nested key ``within``: the nearest one up."""
    for depth in range(len(within), -1, -1):
        found = keys.get("/".join([*within[:depth], dep]))
        if found is not None:
            return found
    return None


#: specs of packages from the project's own tree (a workspace member, a directory)
_LOCAL = ("workspace:", "file:", "link:")


def _member_version(lockfile: Path, where: str) -> str:
    """A workspace member's version, from its package.json (bun records none); empty if
    it has none, it is not there, or ``where`` leaves the project."""
    relative = PurePosixPath(where)
    if not where or relative.is_absolute() or ".." in relative.parts:
        return ""
    found = package_json(lockfile.parent / relative)
    return (found.version if found else None) or ""


def _split_spec(spec: str) -> tuple[str, str]:
    at = spec.find("@", 1)
    return (spec[:at], spec[at + 1 :]) if at > 0 else (spec, "")


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {"packages": {"*": [ANY]}, "workspaces": {"*": {"name": str, "*": ANY}}}


class BunLockParser(LockfileParser):
    name = "bun-lock"
    ecosystem = "npm"
    filenames = ("bun.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if not text.strip():
            return result
        data = expect_mapping(load_json_text(strip_jsonc(text), path), path)
        data = shaped(data, SPEC, path, result)
        cursor = LineCursor(LineIndex(text).lines_of(_KEY))
        workspaces = as_dict(data.get("workspaces"))
        direct_names = {
            name
            for ws in workspaces.values()
            if isinstance(ws, dict)
            for field in (
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
            )
            for name in as_dict(ws.get(field))
        }
        keys: dict[str, Component] = {}
        infos: list[tuple[str, Component, dict[str, Any]]] = []
        members: list[Component] = []
        root = workspaces.get("") if isinstance(workspaces, dict) else None
        if isinstance(root, dict):
            result.project_name = root.get("name")
        for key, entry in as_dict(data.get("packages")).items():
            line = cursor.take(key)
            if not isinstance(entry, list) or not entry or not isinstance(entry[0], str):
                result.diagnostics.append(
                    diagnostic(path, f"could not extract {key!r}: malformed entry", line)
                )
                continue
            name, spec = _split_spec(entry[0])
            commit = None
            version = spec
            local = spec.startswith(_LOCAL)
            if spec.startswith("workspace:"):
                version = _member_version(path, spec.removeprefix("workspace:"))
            elif not spec[:1].isdigit():
                match = _COMMIT.search(spec)
                commit = match.group(1) if match else None
                version = ""
            integrity = entry[3] if len(entry) > 3 and isinstance(entry[3], str) else None
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=line,
                hashes=sri_hashes(integrity),
                commit=commit,
                direct=key in direct_names if direct_names else None,
            )
            if commit or not version:
                comp.ref = f"{comp.purl}#{commit or key}"
            if local:  # built from the project's tree: no registry archive
                comp.properties["package-source"] = "local"
            result.components.append(comp)
            keys[key] = comp
            info = next((e for e in entry[1:3] if isinstance(e, dict)), {})
            infos.append((key, comp, info))
            if spec.startswith("workspace:"):
                members.append(comp)
        if workspaces:
            self._scope(result, workspaces, keys, infos, members)
        return result

    @staticmethod
    def _scope(
        result: ParseResult,
        workspaces: dict[str, Any],
        keys: dict[str, Component],
        infos: list[tuple[str, Component, dict[str, Any]]],
        members: list[Component],
    ) -> None:
        """Scope by reachability from the workspaces' lists through the packages' own."""
        roots: dict[str, list[str]] = {field: [] for field in _WS_FIELDS}
        for ws in workspaces.values():
            if not isinstance(ws, dict):
                continue
            name = ws.get("name")
            within = _segments(name) if isinstance(name, str) and name else []
            for field in _WS_FIELDS:
                for dep in as_dict(ws.get(field)):
                    target = _resolve(keys, within, str(dep))
                    if target is not None:
                        roots[field].append(target.ref)
        required: dict[str, list[str]] = {}
        optional: dict[str, list[str]] = {}
        for key, comp, info in infos:
            within = _segments(key)
            for field, edges in (
                ("dependencies", required),
                ("peerDependencies", required),
                ("optionalDependencies", optional),
            ):
                for dep in as_dict(info.get(field)):
                    target = _resolve(keys, within, str(dep))
                    if target is not None and target is not comp:
                        edges.setdefault(comp.ref, []).append(target.ref)
        scope_by_reachability(
            result.components,
            runtime_roots=roots["dependencies"]
            + roots["peerDependencies"]
            + [m.ref for m in members],
            optional_roots=roots["optionalDependencies"],
            dev_roots=roots["devDependencies"],
            required_edges=required,
            optional_edges=optional,
        )


PARSERS = (BunLockParser(),)
