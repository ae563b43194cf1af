"""uv.lock (uv's universal lockfile, revisions 1-3).

The project itself (``source = { editable | virtual = "." }``) is the root, not a component;
its ``dependencies``, ``optional-dependencies`` and ``dev-dependencies`` give direct
dependencies and their groups.

A package can be locked in several versions (forks by environment marker); each version is
its own component with its own edges. A dependency entry that names a ``version`` points at
exactly that version; one without names the only locked version of that package. Extras are
followed only where a dependency entry activates them (``{ name = "x", extra = ["y"] }``); an
activated extra's dependencies are edges of the package itself (``x`` depends on what
``x[y]`` brings), so its ``dependsOn`` is complete.

Scope follows reachability (see :mod:`._graph`): what the main dependencies reach is
runtime, what only the optional groups reach is optional, what only the dev groups reach is
dev.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems._common import component, load_toml, prefixed_hashes, read_text, shaped
from steward.sbom.ecosystems._graph import reachable
from steward.sbom.ecosystems._python import name_lines, normalise
from steward.sbom.ecosystems.base import LockfileParser

#: (normalised name, version or None, activated extras)
Dep = tuple[str, str | None, tuple[str, ...]]


def _is_root(package: dict[str, Any]) -> bool:
    source = as_dict(package.get("source"))
    return any(source.get(k) == "." for k in ("editable", "virtual"))


def _is_member(package: dict[str, Any]) -> bool:
    """The project or one of its workspace members (an editable or virtual source)."""
    source = as_dict(package.get("source"))
    return isinstance(source.get("editable"), str) or isinstance(source.get("virtual"), str)


def _deps(entries: Any) -> list[Dep]:
    out: list[Dep] = []
    for entry in as_list(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        version = entry.get("version")
        extras = tuple(str(e) for e in as_list(entry.get("extra")) if isinstance(e, str))
        out.append(
            (normalise(entry["name"]), version if isinstance(version, str) else None, extras)
        )
    return out


_ARTIFACT = {"url": str, "hash": str, "path": str}
#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {
    "package": [
        {
            "name": str,
            "version": str,
            "source": {"*": (str, bool)},
            "sdist": _ARTIFACT,
            "wheels": [_ARTIFACT],
            "dependencies": [{"name": str, "extra": [str], "marker": str}],
            "optional-dependencies": {"*": [{"name": str, "extra": [str], "marker": str}]},
            "dev-dependencies": {"*": [{"name": str, "extra": [str], "marker": str}]},
        }
    ]
}


class UvLockParser(LockfileParser):
    name = "uv-lock"
    ecosystem = "PyPI"
    filenames = ("uv.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        data = load_toml(text, path)
        result = ParseResult(
            path=str(path), parser=self.name, ecosystem=self.ecosystem, records_graph=True
        )
        data = shaped(data, SPEC, path, result)
        lines = name_lines(text, "package")
        packages = [p for p in as_list(data.get("package")) if isinstance(p, dict)]
        versions: dict[str, list[Component]] = {}  # normalised name → its locked versions
        built: list[tuple[Component, dict[str, Any]]] = []
        members: dict[str, dict[str, Any]] = {}  # the project and its workspace members
        for index, package in enumerate(packages):
            name, version = package.get("name"), package.get("version")
            if _is_member(package) and isinstance(name, str):
                members.setdefault(normalise(name), package)
                if _is_root(package):
                    result.project_name = result.project_name or name
                    if isinstance(version, str):
                        result.project_version = result.project_version or version
                continue
            if not isinstance(name, str) or not isinstance(version, str):
                continue
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
                hashes=prefixed_hashes(f.get("hash", "") for f in files if isinstance(f, dict)),
                **extra_fields,
            )
            versions.setdefault(normalise(name), []).append(comp)
            built.append((comp, package))

        def target(dep: Dep) -> str | None:
            if dep[0] in members:
                return f"member:{dep[0]}"
            candidates = versions.get(dep[0], [])
            if dep[1] is not None:
                return next((c.ref for c in candidates if c.version == dep[1]), None)
            return candidates[0].ref if len(candidates) == 1 else None

        # graph nodes: (key, None) a package itself, (key, extra) one of its extras, where
        # key is a component's ref or "member:<name>" for the project and its workspace members
        required: dict[Any, list[Any]] = {}
        unresolved: dict[str, list[str]] = {}

        def link(source: Any, owner: Component | None, deps: list[Dep]) -> None:
            for dep in deps:
                found = target(dep)
                if found is None:
                    if owner is not None:
                        unresolved.setdefault(owner.ref, []).append(dep[0])
                    continue
                required.setdefault(source, []).append((found, None))
                for extra in dep[2]:
                    required.setdefault(source, []).append((found, extra))

        def extras(key: str, package: dict[str, Any]) -> None:
            for extra, entries in as_dict(package.get("optional-dependencies")).items():
                required.setdefault((key, str(extra)), []).append((key, None))
                link((key, str(extra)), None, _deps(entries))

        for comp, package in built:
            link((comp.ref, None), comp, _deps(package.get("dependencies")))
            extras(comp.ref, package)
        main: list[Any] = []
        optional: list[Any] = []
        dev: list[Any] = []
        group_of: dict[str, set[str]] = {}
        roots = [p for p in members.values() if _is_root(p)]
        for name, member in members.items():
            key = f"member:{name}"
            link((key, None), None, _deps(member.get("dependencies")))
            extras(key, member)
            if _is_root(member):
                main.append((key, None))
                optional.extend((key, str(g)) for g in as_dict(member.get("optional-dependencies")))
            for group, entries in as_dict(member.get("dev-dependencies")).items():
                node = (key, f"dev:{group}")
                link(node, None, _deps(entries))
                dev.append(node)
        for node in main + optional + dev:
            label = str(node[1]).removeprefix("dev:") if node[1] else ""
            for ref, _extra in required.get(node, []):
                if label:
                    group_of.setdefault(ref, set()).add(label)
        direct = {
            ref
            for node in main + optional + dev
            if node[0].startswith("member:") and _is_root(members[node[0][7:]])
            for ref, _ in required.get(node, [])
        }
        runtime = _packages(reachable(main, required))
        optional_set = _packages(reachable(optional, required)) - runtime
        dev_set = _packages(reachable(dev, required)) - runtime - optional_set
        # an extra some dependent activates is part of what the installed package depends on
        activated: dict[str, list[str]] = {}
        for targets in required.values():
            for ref, extra in targets:
                if extra is not None and not str(ref).startswith("member:"):
                    activated.setdefault(ref, []).append(extra)
        for comp, _package in built:
            nodes = [(comp.ref, None)] + [
                (comp.ref, x) for x in dict.fromkeys(activated.get(comp.ref, []))
            ]
            deps = [
                ref
                for node in nodes
                for ref, _ in required.get(node, [])
                if ref != comp.ref and not str(ref).startswith("member:")
            ]
            comp.dependencies = tuple(dict.fromkeys(deps))
            comp.unresolved = tuple(dict.fromkeys(unresolved.get(comp.ref, [])))
            if roots:
                comp.direct = comp.ref in direct
                comp.groups = tuple(sorted(group_of.get(comp.ref, ())))
                if comp.ref in runtime:
                    comp.scope = Scope.RUNTIME
                elif comp.ref in optional_set:
                    comp.scope = Scope.OPTIONAL
                elif comp.ref in dev_set:
                    comp.scope = Scope.DEV
            result.components.append(comp)
        if roots:
            result.root_known = True
            result.root_dependencies = [c.ref for c, _ in built if c.ref in direct]
        return result


def _packages(nodes: set[Any]) -> set[str]:
    """The component refs among graph nodes (members are not components)."""
    return {node[0] for node in nodes if not node[0].startswith("member:")}


PARSERS = (UvLockParser(),)
