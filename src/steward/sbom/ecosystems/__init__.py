"""Lockfile parsers, one module per format, each turning a file into Components.

Every module here exposes ``PARSERS`` (a tuple of :class:`~.base.LockfileParser`);
:func:`all_parsers` collects them in module-name order.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import PurePath

from steward.sbom.ecosystems.base import LockfileParser

__all__ = ["LockfileParser", "all_parsers", "parser_for", "parser_named"]


@cache
def all_parsers() -> tuple[LockfileParser, ...]:
    """Every registered parser, found by importing this package's modules."""
    found: list[LockfileParser] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "PARSERS", ()))
    return tuple(found)


def parser_for(path: PurePath) -> LockfileParser | None:
    """The parser that reads ``path`` by its file name, or None."""
    for parser in all_parsers():
        if parser.matches(path):
            return parser
    return None


def parser_named(name: str) -> LockfileParser | None:
    """The parser with this ``name``, or None."""
    for parser in all_parsers():
        if parser.name == name:
            return parser
    return None
