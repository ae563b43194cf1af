"""Assembling an SBOM from a project tree: discover, parse, merge, link to the project root.

- Components with the same ref (the purl, or a parser's own key) from several lockfiles are
  one component; every location is kept (property ``steward:locations``).
- The project is the root component: name and version from ``--name``/``--version``, else
  from what a lockfile says about its project, else the directory name and the newest git
  tag (``git describe``), else ``unversioned``.
- The root depends on each lockfile's direct dependencies; where a lockfile cannot tell
  direct from transitive, on its components that nothing else in it depends on.
- A lockfile that cannot be read is a diagnostic; the others are still processed.
- ``split`` builds one SBOM per directory that holds lockfiles.
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from steward import __version__
from steward.errors import InputError
from steward.sbom.component import Component, Diagnostic, ParseResult, Scope, SourceLocation
from steward.sbom.discover import Found, discover
from steward.sbom.ecosystems.base import LockfileParser
from steward.sbom.model import Sbom, SbomMetadata

COMPLETE_GRAPH_PARSERS = frozenset(
    {
        "npm-lock",
        "pnpm-lock",
        "yarn-lock",
        "cargo-lock",
        "poetry-lock",
        "uv-lock",
        "pdm-lock",
        "composer-lock",
        "gemfile-lock",
        "nuget-lock",
        "mix-lock",
        "renv-lock",
    }
)


def build_timestamp() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return datetime.now(UTC).replace(microsecond=0)


def _git_version(directory: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "describe", "--tags", "--always", "--dirty=-modified"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    version = done.stdout.strip()
    return version.removeprefix("v") if done.returncode == 0 and version else None


def parse_all(
    found: list[Found], progress: Callable[[], None] | None = None
) -> tuple[list[ParseResult], list[Diagnostic]]:
    """Parse every lockfile; an unreadable one becomes a diagnostic."""
    results: list[ParseResult] = []
    problems: list[Diagnostic] = []
    for item in found:
        try:
            result = item.parser.parse(item.path)
        except InputError as exc:
            problems.append(Diagnostic(str(item.path), exc.message, exc.line))
        else:
            results.append(result)
            problems.extend(result.diagnostics)
        if progress is not None:
            progress()
    return results, problems


def _relative(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


def assemble(
    results: list[ParseResult],
    *,
    base: Path,
    name: str | None = None,
    version: str | None = None,
    exclude_dev: bool = False,
    metadata: SbomMetadata | None = None,
) -> Sbom:
    """Merge parse results into one SBOM rooted at the project."""
    merged: dict[str, Component] = {}
    locations: dict[str, list[str]] = defaultdict(list)
    edges: dict[str, list[str]] = defaultdict(list)
    root_edges: list[str] = []
    for result in results:
        depended = {d for c in result.components for d in c.dependencies}
        direct_known = any(c.direct is not None for c in result.components)
        for comp in result.components:
            if exclude_dev and comp.scope is Scope.DEV:
                continue
            location = comp.location
            where = ""
            if location is not None:
                where = _relative(location.path, base) + (
                    f":{location.line}" if location.line else ""
                )
            existing = merged.get(comp.ref)
            if existing is None:
                copy = replace(comp, properties=dict(comp.properties))
                if location is not None:
                    copy.location = SourceLocation(_relative(location.path, base), location.line)
                merged[comp.ref] = copy
            elif comp.scope is Scope.RUNTIME and existing.scope is not Scope.RUNTIME:
                existing.scope = Scope.RUNTIME
            if where:
                locations[comp.ref].append(where)
            edges[comp.ref].extend(comp.dependencies)
            is_direct = comp.direct if direct_known else comp.ref not in depended
            if is_direct:
                root_edges.append(comp.ref)
    for ref, comp in merged.items():
        if len(locations[ref]) > 1:
            comp.properties["steward:locations"] = ",".join(sorted(set(locations[ref])))
        comp.dependencies = tuple(sorted({d for d in edges[ref] if d in merged and d != ref}))
    project_name = (
        name
        or next((r.project_name for r in results if r.project_name), None)
        or base.resolve().name
    )
    project_version = (
        version
        or next((r.project_version for r in results if r.project_version), None)
        or _git_version(base if base.is_dir() else base.parent)
        or "unversioned"
    )
    root = Component(
        name=project_name,
        version=project_version,
        ecosystem="",
        ref=f"root:{project_name}",
        scope=Scope.RUNTIME,
        direct=None,
    )
    root.dependencies = tuple(sorted({r for r in root_edges if r in merged}))
    components = sorted(merged.values(), key=lambda c: (c.ecosystem, c.name, c.version, c.ref))
    graph = {root.ref: list(root.dependencies)}
    graph.update({c.ref: list(c.dependencies) for c in components})
    meta = metadata or SbomMetadata(timestamp=build_timestamp(), tool_version=__version__)
    meta.sources = sorted({_relative(r.path, base) for r in results})
    return Sbom(
        root=root,
        components=components,
        dependencies=graph,
        metadata=meta,
        complete=bool(results) and all(r.parser in COMPLETE_GRAPH_PARSERS for r in results),
    )


def sbom_for_tree(
    path: Path,
    *,
    include_vendored: bool = False,
    split: bool = False,
    name: str | None = None,
    version: str | None = None,
    exclude_dev: bool = False,
    metadata: SbomMetadata | None = None,
    progress: Callable[[int], Callable[[], None]] | None = None,
    parser: LockfileParser | None = None,
) -> list[tuple[Path, Sbom]]:
    """Discover, parse and assemble: one SBOM, or one per project directory with ``split``."""
    found = discover(path, include_vendored=include_vendored, parser=parser)
    if not found:
        raise InputError("no lockfile or manifest found", source=path)
    tick = progress(len(found)) if progress else None
    results, problems = parse_all(found, tick)
    base = path if path.is_dir() else path.parent
    if not split:
        sbom = assemble(
            results,
            base=base,
            name=name,
            version=version,
            exclude_dev=exclude_dev,
            metadata=metadata,
        )
        sbom.diagnostics = problems
        return [(base, sbom)]
    groups: dict[Path, list[ParseResult]] = defaultdict(list)
    for result in results:
        groups[Path(result.path).parent].append(result)
    out = []
    for directory in sorted(groups):
        meta = replace(metadata) if metadata else None
        sbom = assemble(
            groups[directory],
            base=directory,
            name=name if len(groups) == 1 else None,
            version=version,
            exclude_dev=exclude_dev,
            metadata=meta,
        )
        sbom.diagnostics = [p for p in problems if Path(p.path).parent == directory]
        out.append((directory, sbom))
    return out
