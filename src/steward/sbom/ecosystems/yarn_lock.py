"""yarn.lock, both the classic v1 format and Berry (v2+, YAML with ``__metadata``).

Classic yarn.lock is not YAML, so it is read with a small indentation-based line parser
(written here: yarn's own parser is JavaScript). Entries are keyed by the descriptors that
resolved to them (``"lodash@^4.17.0, lodash@^4.17.21":``); aliases (``alias@npm:real@^1``) report
the real package; git dependencies keep their commit. Berry entries are read with the YAML
safe loader; the project root (``workspace:.``) is left out, other workspaces are kept, with
the version from their own ``package.json`` (not yarn's ``0.0.0-use.local`` placeholder),
as direct runtime dependencies of the project. Classic yarn.lock has no workspace entries:
the dependencies in each workspace's ``package.json`` (``workspaces`` in the root one) count
as the project's own.
With a ``package.json`` beside the lockfile, direct dependencies are marked and scope follows
reachability from ``dependencies`` (runtime) or only ``devDependencies`` (dev).

A dependency resolves through the descriptor that names it (``name@range``, or berry's
``name@npm:range``); where the manifest's ``resolutions`` override it (``"trim": "1.0.1"``),
through the overriding descriptor, so the overridden package keeps its edge (and stays
runtime). A dependency no descriptor resolves is recorded as unresolved. An alias without a
range (``foo-ms@npm:ms``) is the real package (``ms``), named by its registry tarball
(``.../ms/-/ms-2.1.3.tgz``) where there is one; the hex after ``#`` in a registry tarball URL
is the tarball's SHA-1, not a commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict
from steward.sbom.component import Component, Hash, ParseResult
from steward.sbom.ecosystems._common import (
    MAX_LINE_CHARS,
    LineIndex,
    component,
    diagnostic,
    load_yaml_text,
    read_text,
    shaped,
    sri_hashes,
)
from steward.sbom.ecosystems._graph import scope_by_reachability
from steward.sbom.ecosystems._manifest import Manifest, package_json, workspace_manifests
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

_COMMIT = re.compile(r"(?:#commit[=:]|#|/tar\.gz/)([0-9a-f]{40})\b")
_TARBALL_SHA1 = re.compile(r"^https?://[^#]+\.tgz#([0-9a-f]{40})$")
_TARBALL_NAME = re.compile(r"^https?://[^#?]*?/((?:@[^/]+/)?[^/@]+)/-/[^/]+\.tgz(?:[#?]|$)")
#: an npm range or exact version (as opposed to a package name) after ``npm:``
_RANGE = re.compile(r"^(?:[\^~<>=*|\s]|\d+(?:\.[\dxX*]+)*(?:[-+][\w.-]+)?(?:\s|$|\|))")
_DESCRIPTOR = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"|([^,\s][^,]*)')


def _split_descriptor(descriptor: str) -> tuple[str, str]:
    """``name@range`` → (name, range); scoped names keep their leading ``@``."""
    descriptor = descriptor.strip().strip('"')
    at = descriptor.find("@", 1)
    if at < 0:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def _real_name(name: str, spec: str, resolved: str | None = None) -> str:
    """The package an ``alias@npm:real[@range]`` descriptor installs (else ``name``)."""
    if not spec.startswith("npm:"):
        return name
    rest = spec[4:]
    if "@" not in rest[1:] and _RANGE.match(rest):
        return name  # berry's ``name@npm:^1.0.0``: a range, not an alias
    tarball = _TARBALL_NAME.match(resolved or "")
    if tarball:
        return tarball.group(1)
    real, _ = _split_descriptor(rest)
    return real


def _commit(*values: str | None) -> str | None:
    for value in values:
        if value and not _TARBALL_SHA1.match(value):
            match = _COMMIT.search(value)
            if match:
                return match.group(1)
    return None


def _tarball_sha1(resolved: str | None) -> tuple[Hash, ...]:
    match = _TARBALL_SHA1.match(resolved or "")
    return (Hash("SHA-1", match.group(1)),) if match else ()


def _override_name(pattern: str) -> tuple[str, str]:
    """A ``resolutions`` key (``trim``, ``**/trim``, ``parent/trim@^0.0.1``) → (name, range)."""
    last = pattern
    parts = pattern.split("/")
    if len(parts) >= 2 and parts[-2].startswith("@"):
        last = f"{parts[-2]}/{parts[-1]}"
    elif parts:
        last = parts[-1]
    return _split_descriptor(last)


#: the shape read from a Berry (v2+) lockfile (steward.shapes): wrong-typed values are dropped
#: with a diagnostic
BERRY_SPEC = {
    "__metadata": ANY,
    "*": {
        "resolution": str,
        "version": (str, int, float),
        "checksum": str,
        "dependencies": {"*": (str, int, float)},
    },
}


class YarnLockParser(LockfileParser):
    name = "yarn-lock"
    ecosystem = "npm"
    filenames = ("yarn.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path, max_line=MAX_LINE_CHARS)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        manifest = package_json(path.parent)
        if "__metadata:" in text:
            entries = self._berry(text, path, result)
        else:
            entries = self._classic(text, path, result)
        seen: dict[tuple[str, str, str | None], Component] = {}
        workspaces: list[Component] = []  # berry workspaces other than the project root
        by_descriptor: dict[str, Component] = {}
        deps_of: list[tuple[Component, dict[str, str]]] = []
        for entry in entries:
            identity = (entry["name"], entry["version"], entry["commit"])
            comp = seen.get(identity)
            if comp is None:
                comp = component(
                    self.ecosystem,
                    entry["name"],
                    entry["version"],
                    path=path,
                    line=entry["line"],
                    hashes=sri_hashes(entry.get("integrity"))
                    or _tarball_sha1(entry.get("resolved")),
                    commit=entry["commit"],
                    download_url=str(entry["resolved"]).split("#", 1)[0]
                    if str(entry.get("resolved", "")).startswith("http")
                    else None,
                )
                if entry["commit"]:
                    comp.ref = f"{comp.purl}#{entry['commit']}"
                seen[identity] = comp
                result.components.append(comp)
                if entry.get("workspace"):
                    workspaces.append(comp)
                    comp.properties["package-source"] = "local"
                deps_of.append((comp, entry["dependencies"]))
            for descriptor in entry["descriptors"]:
                by_descriptor[descriptor] = comp
        overrides: dict[str, list[tuple[str, str]]] = {}
        for pattern, value in (manifest.resolutions if manifest else {}).items():
            name, wanted = _override_name(pattern)
            overrides.setdefault(name, []).append((wanted, value))

        def resolve(name: str, spec: str) -> Component | None:
            found = by_descriptor.get(f"{name}@{spec}") or by_descriptor.get(f"{name}@npm:{spec}")
            if found is None and spec.startswith("npm:"):
                found = by_descriptor.get(f"{name}@{spec[4:]}")
            if found is None:
                for wanted, value in overrides.get(name, []):
                    # the key may spell the protocol (``ui@npm:^1``) where the dependent
                    # does not (``^1``), or the other way round: the same range
                    if wanted and wanted.removeprefix("npm:") != spec.removeprefix("npm:"):
                        continue
                    found = (
                        by_descriptor.get(f"{name}@{value}")
                        or by_descriptor.get(f"{name}@npm:{value}")
                        or by_descriptor.get(f"{name}@{value.removeprefix('npm:')}")
                    )
                    if found is not None:
                        break
            return found

        for comp, deps in deps_of:
            refs = []
            missing = []
            for name, spec in deps.items():
                target = resolve(name, spec)
                if target is None:
                    missing.append(f"{name}@{spec}")
                elif target is not comp:
                    refs.append(target.ref)
            comp.dependencies = tuple(dict.fromkeys((*comp.dependencies, *refs)))
            comp.unresolved = tuple(dict.fromkeys((*comp.unresolved, *missing)))
        if manifest is not None:
            # classic yarn.lock has no entries for workspaces: what each workspace's
            # package.json asks for is what the project asks for
            members = (
                workspace_manifests(path.parent, manifest.workspaces)
                if manifest.workspaces and not workspaces
                else []
            )
            self._apply_manifest(manifest, resolve, result, workspaces, members)
        elif workspaces:  # the project depends on its workspaces
            result.root_known = True
            for comp in result.components:
                comp.direct = comp in workspaces
            result.root_dependencies = [c.ref for c in workspaces]
        return result

    # ------------------------------------------------------------------ classic

    def _classic(self, text: str, path: Path, result: ParseResult) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        in_deps = False
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if not raw.startswith(" "):
                if not raw.rstrip().endswith(":"):
                    raise InputError(
                        f"not a yarn.lock entry: {raw[:60]!r}", source=path, line=number
                    )
                descriptors = [
                    (m.group(1) if m.group(1) is not None else m.group(2)).strip()
                    for m in _DESCRIPTOR.finditer(raw.rstrip()[:-1])
                ]
                current = {
                    "descriptors": descriptors,
                    "line": number,
                    "fields": {},
                    "dependencies": {},
                }
                entries.append(current)
                in_deps = False
                continue
            if current is None:
                raise InputError("indented line before any entry", source=path, line=number)
            stripped = raw.strip()
            if raw.startswith("    ") and in_deps:
                name, _, spec = stripped.partition(" ")
                current["dependencies"][name.strip('"')] = spec.strip().strip('"')
                continue
            in_deps = stripped.rstrip(":") in (
                "dependencies",
                "optionalDependencies",
            ) and stripped.endswith(":")
            if not in_deps:
                key, _, value = stripped.partition(" ")
                current["fields"][key.strip('"')] = value.strip().strip('"')
        out = []
        for entry in entries:
            if not entry["descriptors"]:
                result.diagnostics.append(
                    diagnostic(
                        path, "an entry without a package descriptor; skipped", entry["line"]
                    )
                )
                continue
            name, spec = _split_descriptor(entry["descriptors"][0])
            version = entry["fields"].get("version", "")
            if not version:
                continue
            resolved = entry["fields"].get("resolved")
            out.append(
                {
                    "name": _real_name(name, spec, resolved),
                    "version": version,
                    "commit": _commit(resolved),
                    "line": entry["line"],
                    "integrity": entry["fields"].get("integrity"),
                    "resolved": resolved,
                    "descriptors": entry["descriptors"],
                    "dependencies": entry["dependencies"],
                }
            )
        return out

    # -------------------------------------------------------------------- berry

    def _berry(self, text: str, path: Path, result: ParseResult) -> list[dict[str, Any]]:
        data = load_yaml_text(text, path)
        if not isinstance(data, dict):
            raise InputError("not a yarn lockfile (expected a YAML mapping)", source=path)
        data = shaped(data, BERRY_SPEC, path, result)
        index = LineIndex(text)
        key_lines: dict[str, int] = {}
        for match in re.finditer(r'^("(?:[^"\\]|\\.)*"|[^\s#"][^\n]*?):\s*$', text, re.MULTILINE):
            key_lines.setdefault(match.group(1).strip('"'), index.line(match.start()))
        out = []
        for key, info in data.items():
            if key == "__metadata" or not isinstance(info, dict):
                continue
            resolution = str(info.get("resolution", ""))
            if "@workspace:." in resolution and resolution.endswith("@workspace:."):
                continue  # the project root
            name, spec = _split_descriptor(resolution or str(key).split(",")[0])
            version = str(info.get("version", ""))
            workspace = spec.startswith("workspace:")
            if workspace:
                # yarn writes the placeholder 0.0.0-use.local: the version is the workspace's
                # package.json's (none if it has none)
                found = package_json(path.parent / spec.removeprefix("workspace:"))
                version = (found.version if found else None) or ""
            elif not version:
                continue
            deps = {str(k): str(v) for k, v in as_dict(info.get("dependencies")).items()}
            out.append(
                {
                    "name": name,
                    "version": version,
                    "commit": _commit(resolution),
                    "line": key_lines.get(str(key)),
                    "integrity": None,
                    "resolved": None,
                    "descriptors": [d.strip() for d in str(key).split(",")],
                    "dependencies": deps,
                    "checksum": info.get("checksum"),
                    "spec": spec,
                    "workspace": workspace,
                }
            )
        return out

    # ----------------------------------------------------------------- manifest

    def _apply_manifest(
        self,
        manifest: Manifest,
        resolve: Callable[[str, str], Component | None],
        result: ParseResult,
        workspaces: list[Component],
        members: list[Manifest],
    ) -> None:
        def roots(kind: str) -> list[Component]:
            found = []
            for each in (manifest, *members):
                specs: dict[str, str] = getattr(each, kind)
                found += [c for n, spec in specs.items() if (c := resolve(n, spec)) is not None]
            return list({c.ref: c for c in found}.values())

        # the project's workspaces are part of it: what they need at run time is runtime
        runtime_roots = roots("runtime") + workspaces
        optional_roots = roots("optional")
        dev_roots = roots("dev")
        required = {c.ref: c.dependencies for c in result.components}
        scope_by_reachability(
            result.components,
            runtime_roots=[c.ref for c in runtime_roots],
            optional_roots=[c.ref for c in optional_roots],
            dev_roots=[c.ref for c in dev_roots],
            required_edges=required,
            optional_edges={},
        )
        direct = {c.ref for c in runtime_roots + optional_roots + dev_roots}
        for comp in result.components:
            comp.direct = comp.ref in direct
        result.root_known = True
        result.root_dependencies = sorted(direct)


PARSERS = (YarnLockParser(),)
