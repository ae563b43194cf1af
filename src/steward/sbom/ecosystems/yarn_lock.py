"""yarn.lock, both the classic v1 format and Berry (v2+, YAML with ``__metadata``).

Classic yarn.lock is not YAML, so it is read with a small indentation-based line parser
(written here: yarn's own parser is JavaScript). Entries are keyed by the descriptors that
resolved to them (``"lodash@^4.17.0, lodash@^4.17.21":``); aliases (``alias@npm:real@^1``) report
the real package; git dependencies keep their commit. Berry entries are read with the YAML
safe loader; the project root (``workspace:.``) is left out, other workspaces are kept.
With a ``package.json`` beside the lockfile, direct dependencies are marked and scope follows
reachability from ``dependencies`` (runtime) or only ``devDependencies`` (dev).
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict
from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    LineIndex,
    component,
    load_json_text,
    load_yaml_text,
    read_text,
    sri_hashes,
)
from steward.sbom.ecosystems.base import LockfileParser

_COMMIT = re.compile(r"(?:#commit[=:]|#|/tar\.gz/)([0-9a-f]{40})\b")
_DESCRIPTOR = re.compile(r'"((?:[^"\\]|\\.)*)"|([^,\s][^,]*)')


def _split_descriptor(descriptor: str) -> tuple[str, str]:
    """``name@range`` → (name, range); scoped names keep their leading ``@``."""
    descriptor = descriptor.strip().strip('"')
    at = descriptor.find("@", 1)
    if at < 0:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def _real_name(name: str, spec: str) -> str:
    if spec.startswith("npm:") and "@" in spec[5:]:
        real, _ = _split_descriptor(spec[4:])
        return real
    return name


def _commit(*values: str | None) -> str | None:
    for value in values:
        if value:
            match = _COMMIT.search(value)
            if match:
                return match.group(1)
    return None


class YarnLockParser(LockfileParser):
    name = "yarn-lock"
    ecosystem = "npm"
    filenames = ("yarn.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if "__metadata:" in text:
            entries = self._berry(text, path)
        else:
            entries = self._classic(text, path, result)
        seen: dict[tuple[str, str, str | None], Component] = {}
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
                    hashes=sri_hashes(entry.get("integrity")),
                    commit=entry["commit"],
                    download_url=entry.get("resolved")
                    if str(entry.get("resolved", "")).startswith("http")
                    else None,
                )
                if entry["commit"]:
                    comp.ref = f"{comp.purl}#{entry['commit']}"
                seen[identity] = comp
                result.components.append(comp)
                deps_of.append((comp, entry["dependencies"]))
            for descriptor in entry["descriptors"]:
                by_descriptor[descriptor] = comp
        for comp, deps in deps_of:
            refs = []
            for name, spec in deps.items():
                target = by_descriptor.get(f"{name}@{spec}") or by_descriptor.get(
                    f"{name}@npm:{spec}"
                )
                if target is not None and target is not comp:
                    refs.append(target.ref)
            comp.dependencies = tuple(dict.fromkeys(refs))
        self._apply_manifest(path, by_descriptor, result)
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
            name, spec = _split_descriptor(entry["descriptors"][0])
            version = entry["fields"].get("version", "")
            if not version:
                continue
            resolved = entry["fields"].get("resolved")
            out.append(
                {
                    "name": _real_name(name, spec),
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

    def _berry(self, text: str, path: Path) -> list[dict[str, Any]]:
        data = load_yaml_text(text, path)
        if not isinstance(data, dict):
            raise InputError("not a yarn lockfile (expected a YAML mapping)", source=path)
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
            if not version:
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
                }
            )
        return out

    # ----------------------------------------------------------------- manifest

    def _apply_manifest(
        self, path: Path, by_descriptor: dict[str, Component], result: ParseResult
    ) -> None:
        manifest = path.parent / "package.json"
        if not manifest.is_file():
            return
        try:
            data = load_json_text(read_text(manifest), manifest)
        except InputError:
            return
        if not isinstance(data, dict):
            return

        def roots(field: str) -> list[Component]:
            found = []
            for name, spec in as_dict(data.get(field)).items():
                comp = by_descriptor.get(f"{name}@{spec}") or by_descriptor.get(
                    f"{name}@npm:{spec}"
                )
                if comp is not None:
                    found.append(comp)
            return found

        runtime_roots = (
            roots("dependencies") + roots("optionalDependencies") + roots("peerDependencies")
        )
        dev_roots = roots("devDependencies")
        by_ref = {c.ref: c for c in result.components}

        def reach(start: list[Component]) -> set[str]:
            seen = {c.ref for c in start}
            queue = deque(seen)
            while queue:
                for nxt in by_ref[queue.popleft()].dependencies:
                    if nxt not in seen and nxt in by_ref:
                        seen.add(nxt)
                        queue.append(nxt)
            return seen

        runtime = reach(runtime_roots)
        direct = {c.ref for c in runtime_roots + dev_roots}
        for comp in result.components:
            comp.direct = comp.ref in direct
            if comp.ref not in runtime:
                comp.scope, comp.groups = Scope.DEV, ("dev",)
        result.root_dependencies = sorted(direct)


PARSERS = (YarnLockParser(),)
