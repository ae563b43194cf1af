"""Workspace member patterns (npm/yarn/pnpm ``workspaces``, Cargo ``members``, uv
``members``) matched against a relative POSIX path, segment by segment.

Shape: :func:`member_match` (path, pattern) -> bool. The package managers expand these
patterns with their glob libraries (npm: ``glob``/minimatch; Cargo: the ``glob`` crate; uv:
``glob``), where ``*`` and ``?`` never cross a ``/`` and ``**`` stands for any number of
directories (none included). ``fnmatch`` lets ``*`` cross ``/``, so ``workspaces/*`` took
``workspaces/arborist/test/fixtures/a`` (a test fixture of npm/cli) for a published
workspace. Written here because the standard library has no segment-wise glob before Python
3.13 (``PurePath.full_match``) and pathspec implements gitignore rules (a matched directory
takes everything below it), not these.
"""

from __future__ import annotations

import fnmatch

__all__ = ["member_match"]


def member_match(path: str, pattern: str) -> bool:
    """Whether ``path`` (``packages/a``) is named by the member ``pattern`` (``packages/*``,
    ``crates/**``, ``./tools/x/``): ``./`` prefixes and trailing ``/`` are ignored; a
    negated pattern (``!x``) names nothing."""
    pattern = pattern.strip()
    if pattern.startswith("!"):
        return False
    pat = [p for p in pattern.removeprefix("./").strip("/").split("/") if p not in ("", ".")]
    parts = [p for p in path.removeprefix("./").strip("/").split("/") if p not in ("", ".")]
    return _match(parts, pat)


def _match(parts: list[str], pat: list[str]) -> bool:
    # iterative over ``**`` positions: the pattern lists are short (a few segments)
    if not pat:
        return not parts
    head, rest = pat[0], pat[1:]
    if head == "**":
        return any(_match(parts[i:], rest) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match(parts[1:], rest)
