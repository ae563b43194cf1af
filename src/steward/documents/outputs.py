"""Checking an ``--output`` path before any work is done.

The write itself goes through :func:`steward.safeio.atomic_writer` (temporary file and
rename). This check runs first, so that a command that gathers evidence for seconds (or
signs a pack) fails at once, with one line and exit 2, on a path it could never write: an
existing directory, something that is not a regular file (a symlink, FIFO or device is
never replaced), or a location under a file or not writable.
"""

from __future__ import annotations

import os
from pathlib import Path

from steward.errors import InputError, UsageError


def check_output(
    path: Path | None, option: str = "--output", *, project: Path | None = None
) -> None:
    """:class:`UsageError` or :class:`InputError` when ``path`` cannot be written (None and
    ``-``, standard output, are fine), or would replace the ``project``'s steward.yml (the
    answers every document is built from)."""
    if path is None or str(path) == "-":
        return
    if project is not None:
        from steward.projectconfig import CONFIG_NAMES

        for name in CONFIG_NAMES:
            config = project / name
            if path.absolute() == config.absolute() or (
                config.exists() and path.exists() and path.samefile(config)
            ):
                raise UsageError(f"{option} {path}: that is the project's {name}; give another")
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            raise UsageError(f"{option} {path}: is a directory; give a file name")
        if path.is_symlink() or not path.is_file():
            raise InputError("not a regular file; refusing to replace it", source=path)
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"cannot write: {parent} is not a directory", source=path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write: {parent} is not writable", source=path)
