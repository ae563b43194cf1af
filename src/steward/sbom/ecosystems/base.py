"""The interface every lockfile parser implements.

A parser module under ``steward.sbom.ecosystems`` exposes ``PARSERS``: a tuple of
:class:`LockfileParser` instances. :func:`steward.sbom.ecosystems.all_parsers` finds them, so
adding a format means adding one module and nothing else.

``parse`` must never raise anything but :class:`steward.errors.InputError` (for a file that
cannot be read at all); problems inside a readable file go into ``ParseResult.diagnostics``
with the file and line, and the components that could be read are still returned.
"""

from __future__ import annotations

import fnmatch
from abc import ABC, abstractmethod
from pathlib import Path, PurePath
from typing import ClassVar

from steward.sbom.component import ParseResult


class LockfileParser(ABC):
    """Turns one lockfile or manifest into Components."""

    #: stable identifier, e.g. ``"npm-package-lock"``; shown to users and used by ``--parser``
    name: ClassVar[str]
    #: OSV ecosystem name of the components it yields
    ecosystem: ClassVar[str]
    #: exact file names it reads, e.g. ``("package-lock.json", "npm-shrinkwrap.json")``
    filenames: ClassVar[tuple[str, ...]] = ()
    #: fnmatch patterns for other names it reads, e.g. ``("requirements*.txt",)``
    patterns: ClassVar[tuple[str, ...]] = ()

    def matches(self, path: PurePath) -> bool:
        """True if this parser should read ``path`` (decided by the file name alone)."""
        base = path.name
        if base in self.filenames:
            return True
        return any(fnmatch.fnmatchcase(base, pattern) for pattern in self.patterns)

    @abstractmethod
    def parse(self, path: Path) -> ParseResult:
        """Parse ``path``; raise InputError only if nothing at all can be read."""
