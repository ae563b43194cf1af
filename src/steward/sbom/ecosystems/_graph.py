"""Graph helpers the lockfile parsers share: reachability and scope from the project's roots.

Lockfiles that do not flag development-only packages (pnpm v9, uv, yarn berry) are scoped by
reachability from the project's own dependency lists: what the runtime dependencies reach
through required edges is runtime; what they (or the optional dependencies) reach only
through optional edges is optional; what only the development dependencies reach is dev.
Each search is one breadth-first walk, linear in packages + edges.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from steward.sbom.component import Component, Scope


def reachable(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every node reachable from ``start`` (included) along ``edges``."""
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def scope_by_reachability(
    components: Iterable[Component],
    *,
    runtime_roots: Iterable[str],
    optional_roots: Iterable[str],
    dev_roots: Iterable[str],
    required_edges: Mapping[str, Iterable[str]],
    optional_edges: Mapping[str, Iterable[str]],
    unreached: Scope = Scope.RUNTIME,
) -> None:
    """Set ``scope`` and ``groups`` of each component (keyed by ``ref``) from the roots.

    ``unreached``: the scope of a package no root reaches (a stale lockfile entry); runtime by
    default, so that ``--exclude-dev`` never drops what it cannot prove is development-only.
    """
    runtime_roots = list(runtime_roots)
    runtime = reachable(runtime_roots, required_edges)
    both: dict[str, list[str]] = {}
    for mapping in (required_edges, optional_edges):
        for ref, targets in mapping.items():
            both.setdefault(ref, []).extend(targets)
    optional = reachable([*runtime_roots, *optional_roots], both) - runtime
    dev = reachable(dev_roots, both) - runtime - optional
    for comp in components:
        if comp.ref in runtime:
            comp.scope, comp.groups = Scope.RUNTIME, ()
        elif comp.ref in optional:
            comp.scope, comp.groups = Scope.OPTIONAL, ("optional",)
        elif comp.ref in dev:
            comp.scope, comp.groups = Scope.DEV, ("dev",)
        else:
            comp.scope = unreached
            comp.groups = ("optional",) if unreached is Scope.OPTIONAL else ()
