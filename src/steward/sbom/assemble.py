"""Assembling an SBOM from a project tree: discover, parse, merge, link to the project root.

- Components with the same ref (the purl, or a parser's own key) from several lockfiles are
  one component; every location is kept (property ``steward:locations``).
- The project is the root component: name and version from ``--name``/``--version``, else
  from what a lockfile says about its project (uv's root package, ``Cargo.toml`` ...), else
  from the manifest beside it (``package.json``, ``Cargo.toml``, ``composer.json``,
  ``pyproject.toml``), else the directory name and the git tag on HEAD
  (``git describe --tags --exact-match``). A commit hash is not a version: without any of
  these the root has no version, and ``sbom check`` says so.
- The root depends on each lockfile's direct dependencies; where a lockfile cannot tell
  direct from transitive (no manifest beside it), on its components that nothing else in it
  depends on, which are certainly direct but may not be all of them: the root's dependency
  list is then marked incomplete rather than claimed complete.
- A component's dependency list is *known* (written as ``dependsOn``, even when empty) only
  when its lockfile records the graph and every dependency it declares was found; otherwise
  the SBOM says the list is incomplete or unknown.
- A lockfile that cannot be read is a diagnostic; the others are still processed.
- ``split`` builds one SBOM per directory that holds lockfiles.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from steward import __version__
from steward.errors import InputError
from steward.safeio import is_clean_name, printable_name
from steward.sbom.component import Component, Diagnostic, ParseResult, Scope, SourceLocation
from steward.sbom.discover import Found, discover
from steward.sbom.ecosystems._manifest import (
    cargo_toml,
    composer_json,
    manifest_for,
    package_json,
    pyproject_toml,
)
from steward.sbom.ecosystems.base import LockfileParser
from steward.sbom.model import Sbom, SbomMetadata
from steward.sbom.purl import ECOSYSTEM_TO_PURL_TYPE
from steward.sbom.scanroot import scanning


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
    """The tag on HEAD (``v`` stripped), or None: a commit hash or a describe string is not
    a version."""
    if not any((parent / ".git").exists() for parent in (directory, *directory.parents)):
        return None
    import subprocess

    from steward.gitsafe import run_git  # the repository may be hostile: its config is pinned

    try:
        done = run_git(directory, "describe", "--tags", "--exact-match", timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    version = done.stdout.decode("utf-8", "replace").strip()
    return version.removeprefix("v") if done.returncode == 0 and version else None


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parser builds its objects.

    Parsing allocates hundreds of thousands of containers and frees none, so each collection
    scans everything built so far: the collector alone made PyYAML's loader quadratic
    (10,000 pnpm packages: 1.97 s with it, 0.54 s without; 1,000: 0.10 s against 0.05 s).
    Parsers create no reference cycles worth collecting; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _usable(result: ParseResult) -> list[Diagnostic]:
    """Drop components without a usable name (empty, or no purl where the ecosystem has a
    purl type: ``require / v1``, ``"name": "/"``); each dropped one is a diagnostic."""
    dropped: list[Diagnostic] = []
    kept: list[Component] = []
    for comp in result.components:
        has_type = comp.ecosystem in ECOSYSTEM_TO_PURL_TYPE
        if comp.name.strip() and (comp.purl is not None or not has_type):
            kept.append(comp)
            continue
        line = comp.location.line if comp.location is not None else None
        dropped.append(
            Diagnostic(
                result.path, f"a package without a usable name ({comp.name!r}); skipped", line
            )
        )
    if dropped:
        result.components = kept
    return dropped


def parse_all(
    found: list[Found], progress: Callable[[], None] | None = None
) -> tuple[list[ParseResult], list[Diagnostic]]:
    """Parse every lockfile; an unreadable one becomes a diagnostic.

    Besides the parsers' own InputErrors, input nested past the interpreter's recursion
    limit and operating-system errors while reading (a name too long, an unreadable
    include) are diagnostics naming the file, never a crash.
    """
    results: list[ParseResult] = []
    problems: list[Diagnostic] = []
    for item in found:
        if not is_clean_name(str(item.path)):
            shown = printable_name(str(item.path))
            problems.append(Diagnostic(shown, "file name is not valid UTF-8; not read"))
            continue
        try:
            item.path.resolve()
        except (OSError, RuntimeError):
            problems.append(
                Diagnostic(str(item.path), "cannot be resolved (a symbolic link loop); not read")
            )
            continue
        try:
            with paused_gc():
                result = item.parser.parse(item.path)
        except InputError as exc:
            problems.append(Diagnostic(str(item.path), exc.message, exc.line))
        except RecursionError:
            problems.append(Diagnostic(str(item.path), "nested too deeply (recursion limit)"))
        except OSError as exc:
            problems.append(Diagnostic(str(item.path), f"cannot read: {exc.strerror or exc}"))
        else:
            result.diagnostics.extend(_usable(result))
            results.append(result)
            problems.extend(result.diagnostics)
        if progress is not None:
            progress()
    return results, problems


def _relative(path: str, base: Path) -> str:
    return _relative_cached(path, str(base))


@functools.lru_cache(maxsize=1024)
def _relative_cached(path: str, base: str) -> str:
    """Resolved once per (file, base): every component of a lockfile shares its path."""
    try:
        return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
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
    root_known = bool(results)
    for result in results:
        depended = {d for c in result.components for d in c.dependencies}
        direct_known = any(c.direct is not None for c in result.components)
        root_known = root_known and (result.root_known or direct_known)
        if result.root_known:
            root_edges.extend(result.root_dependencies)
        for comp in result.components:
            known = result.records_graph and not comp.unresolved
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
                # parse results are assembled once: the component is taken over, not copied
                # (dataclasses.replace was a tenth of the run on 300,000 packages)
                comp.dependencies_known = known
                if location is not None:
                    comp.location = SourceLocation(_relative(location.path, base), location.line)
                merged[comp.ref] = comp
            else:
                existing.dependencies_known = existing.dependencies_known or known
                if comp.scope is Scope.RUNTIME and existing.scope is not Scope.RUNTIME:
                    existing.scope = Scope.RUNTIME
            if where:
                locations[comp.ref].append(where)
            edges[comp.ref].extend(comp.dependencies)
            if result.root_known:
                continue
            is_direct = comp.direct if direct_known else comp.ref not in depended
            if is_direct:
                root_edges.append(comp.ref)
    for ref, comp in merged.items():
        if len(locations[ref]) > 1:
            comp.properties["steward:locations"] = ",".join(sorted(set(locations[ref])))
        comp.dependencies = tuple(sorted({d for d in edges[ref] if d in merged and d != ref}))
    # the project is named by a file at the root first (go.mod of a multi-module repository,
    # not the module of the first subdirectory in path order), then by the nested ones
    top = base if base.is_dir() else base.parent
    ordered = sorted(results, key=lambda r: Path(r.path).parent.resolve() != top.resolve())
    identities = [(r.project_name, r.project_version) for r in ordered if r.project_name]
    for result in results:
        beside = manifest_for(Path(result.path)) if not result.project_name else None
        if beside is not None and beside.name:
            identities.append((beside.name, beside.version))
    for reader in (package_json, cargo_toml, composer_json, pyproject_toml):
        found = reader(base if base.is_dir() else base.parent)
        if found is not None and found.name:
            identities.insert(0, (found.name, found.version))
            break
    project_name = name or next((n for n, _ in identities if n), None) or base.resolve().name
    project_version = (
        version
        or next((v for n, v in identities if v and (name or n == project_name)), None)
        or _git_version(base if base.is_dir() else base.parent)
        or ""
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
    root.dependencies_known = root_known
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
        complete=bool(results) and all(r.records_graph for r in results),
    )


def _nothing_usable(path: Path, problems: list[Diagnostic]) -> None:
    """An input that yields no component but had problems is an error, not an empty SBOM
    (a genuinely empty lockfile, with no problems, still gives an empty one)."""
    first = problems[0]
    where = first.path + (f":{first.line}" if first.line else "")
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    raise InputError(f"nothing usable was read: {where}: {first.message}{more}", source=path)


def sbom_for_tree(
    path: Path,
    *,
    include_vendored: bool = False,
    include_tests: bool = False,
    split: bool = False,
    name: str | None = None,
    version: str | None = None,
    exclude_dev: bool = False,
    metadata: SbomMetadata | None = None,
    progress: Callable[[int], Callable[[], None]] | None = None,
    parser: LockfileParser | None = None,
    allow_outside: bool = False,
) -> list[tuple[Path, Sbom]]:
    """Discover, parse and assemble: one SBOM, or one per project directory with ``split``.

    Lockfiles under test and example directories are read only with ``include_tests``; the
    first SBOM returned names those left out (``Sbom.left_out``). Raises
    :class:`~steward.errors.InputError` when nothing is found or nothing usable is read.

    Parsers read only inside ``path`` (:mod:`steward.sbom.scanroot`): an include, a parent POM
    or a symlinked lockfile leading out of it is a diagnostic, never read, unless
    ``allow_outside`` (a trusted local run).
    """
    left_out: list[Path] = []
    found = discover(
        path,
        include_vendored=include_vendored,
        include_tests=include_tests,
        parser=parser,
        left_out=left_out,
    )
    if not found:
        raise InputError(
            "no lockfile or manifest found"
            + (f" ({describe_left_out(path, left_out)})" if left_out else ""),
            source=path,
        )
    tick = progress(len(found)) if progress else None
    with contextlib.nullcontext() if allow_outside else scanning(path):
        built = _parse_and_assemble(path, found, tick, split, name, version, exclude_dev, metadata)
    if built:
        built[0][1].left_out = left_out
    return built


def describe_left_out(root: Path, left_out: list[Path]) -> str:
    """One line on the lockfiles under test and example directories that were not read:
    how many, the first one's path from ``root``, and the option that reads them."""
    first = left_out[0]
    try:
        shown = first.relative_to(root).as_posix()
    except ValueError:
        shown = first.as_posix()
    more = f" and {len(left_out) - 1} more" if len(left_out) > 1 else ""
    return f"left out {shown}{more} under test or example directories; --include-tests reads them"


def _parse_and_assemble(
    path: Path,
    found: list[Found],
    tick: Callable[[], None] | None,
    split: bool,
    name: str | None,
    version: str | None,
    exclude_dev: bool,
    metadata: SbomMetadata | None,
) -> list[tuple[Path, Sbom]]:
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
        if not sbom.components and problems:
            _nothing_usable(path, problems)
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
