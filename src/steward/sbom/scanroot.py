"""The scanned directory: lockfile parsers read nothing outside it.

``steward sbom DIR`` (and ``vulns``, ``docs``, ``evidence``, which build SBOMs the same way)
sets the scan root for the duration of parsing; every file a parser opens — the lockfile, a
sibling manifest, a ``-r``/``-c`` include, a Maven parent POM — must resolve (symbolic links
followed) to a path inside it. Anything else is refused with a diagnostic naming the file and
line that pointed there, and its content is never read: a checkout cannot make Steward copy
``/etc/shadow`` or ``../../secret.txt`` into an SBOM. Outside a scan (a library call on one
file), there is no root and nothing is refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from steward.errors import UnsafeInputError

_ROOT: ContextVar[Path | None] = ContextVar("steward_scan_root", default=None)


@contextlib.contextmanager
def scanning(root: Path) -> Iterator[Path]:
    """Parse inside ``root`` (a directory, or the directory of the one lockfile given).

    For one lockfile, the root is the directory the name is in, not the one its target is
    in: ``steward sbom requirements.txt`` where that name is a symbolic link to
    ``../../secret.txt`` reads nothing outside, like the same link inside a scanned tree.
    """
    base = root.resolve() if root.is_dir() else root.absolute().parent.resolve()
    token = _ROOT.set(base)
    try:
        yield base
    finally:
        _ROOT.reset(token)


def current() -> Path | None:
    return _ROOT.get()


def is_outside(path: Path) -> bool:
    """True when a scan is running and ``path`` resolves outside its root (or cannot be
    resolved at all: a symlink loop)."""
    root = _ROOT.get()
    if root is None:
        return False
    try:
        Path(path).resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def check_inside(path: Path) -> None:
    """Raise :class:`UnsafeInputError` naming ``path`` when it lies outside the scan root."""
    if _ROOT.get() is None:
        return
    try:
        Path(path).resolve(strict=False)
    except (OSError, RuntimeError):
        raise UnsafeInputError(
            "cannot be resolved (a symbolic link loop); not read", source=path
        ) from None
    if is_outside(path):
        raise UnsafeInputError(
            "outside the scanned directory (a symbolic link or include leading out of it); "
            "not read",
            source=path,
        )
