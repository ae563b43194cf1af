"""uv.lock (uv's universal lockfile, revisions 1-3).

The project itself (``source = { editable | virtual = "." }``) is the root, not a component;
its ``dependencies``, ``optional-dependencies`` and ``dev-dependencies`` give direct
dependencies and their groups. Scope follows reachability: anything reachable from the main
dependencies is runtime, else from optional groups optional, else dev.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems._common import component, load_toml, prefixed_hashes, read_text
from steward.sbom.ecosystems._python import name_lines, normalise
from steward.sbom.ecosystems.base import LockfileParser


def _is_root(package: dict[str, Any]) -> bool:
    source = as_dict(package.get("source"))
    return any(source.get(k) == "." for k in ("editable", "virtual"))


def _dep_names(entries: Any) -> list[str]:
    return [str(e["name"]) for e in as_list(entries) if isinstance(e, dict) and e.get("name")]


class UvLockParser(LockfileParser):
    name = "uv-lock"
    ecosystem = "PyPI"
    filenames = ("uv.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        lines = name_lines(text, "package")
        packages = [p for p in as_list(data.get("package")) if isinstance(p, dict)]
        roots = [p for p in packages if _is_root(p)]
        main: set[str] = set()
        groups: dict[str, set[str]] = {}
        optional_names: set[str] = set()
        dev_names: set[str] = set()
        for root in roots:
            result.project_name = result.project_name or root.get("name")
            result.project_version = result.project_version or root.get("version")
            main |= {normalise(n) for n in _dep_names(root.get("dependencies"))}
            for group, entries in as_dict(root.get("optional-dependencies")).items():
                for n in _dep_names(entries):
                    groups.setdefault(normalise(n), set()).add(group)
                    optional_names.add(normalise(n))
            for group, entries in as_dict(root.get("dev-dependencies")).items():
                for n in _dep_names(entries):
                    groups.setdefault(normalise(n), set()).add(group)
                    dev_names.add(normalise(n))
        edges: dict[str, list[str]] = {}
        built: list[tuple[Component, dict[str, Any]]] = []
        for index, package in enumerate(packages):
            name, version = package.get("name"), package.get("version")
            if _is_root(package) or not isinstance(name, str) or not isinstance(version, str):
                continue
            key = normalise(name)
            deps = _dep_names(package.get("dependencies"))
            for extra in as_dict(package.get("optional-dependencies")).values():
                deps += _dep_names(extra)
            edges[key] = [normalise(d) for d in deps]
            source = as_dict(package.get("source"))
            extra_fields: dict[str, Any] = {}
            git = source.get("git")
            if isinstance(git, str):
                url, _, commit = git.partition("#")
                extra_fields["vcs_url"] = url
                extra_fields["commit"] = commit or None
            files = [package.get("sdist"), *as_list(package.get("wheels"))]
            sdist = as_dict(package.get("sdist"))
            if isinstance(sdist.get("url"), str) and sdist["url"].startswith("https://"):
                extra_fields["download_url"] = sdist["url"]
                extra_fields["download_hashes"] = prefixed_hashes([sdist.get("hash", "")])
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=lines[index] if index < len(lines) else None,
                groups=tuple(sorted(groups.get(key, ()))),
                hashes=prefixed_hashes(f.get("hash", "") for f in files if isinstance(f, dict)),
                direct=(key in main or key in groups) if roots else None,
                **extra_fields,
            )
            built.append((comp, package))
        runtime = _reachable(main, edges)
        optional = _reachable(optional_names, edges) - runtime
        refs = {normalise(c.name): c.ref for c, _ in built}
        for comp, _package in built:
            key = normalise(comp.name)
            if roots:
                comp.scope = (
                    Scope.RUNTIME
                    if key in runtime
                    else Scope.OPTIONAL
                    if key in optional
                    else Scope.DEV
                )
            comp.dependencies = tuple(refs[d] for d in edges.get(key, []) if d in refs)
            result.components.append(comp)
        result.root_dependencies = [refs[n] for n in sorted(main | set(groups)) if n in refs]
        return result


def _reachable(start: set[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    queue = deque(start)
    while queue:
        for nxt in edges.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


PARSERS = (UvLockParser(),)
