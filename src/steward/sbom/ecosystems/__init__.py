"""Lockfile parsers, one module per format, each turning a file into Components.

Every module here exposes ``PARSERS`` (a tuple of :class:`~.base.LockfileParser`);
:func:`all_parsers` collects them in module-name order. :func:`parser_for` first looks the
file name up in :data:`MODULE_FOR_NAME` / :data:`MODULE_FOR_PATTERN` and imports only that
module (importing all 21 costs ~25 ms of every ``steward sbom`` start); a test keeps those
tables equal to what the parsers declare.
"""

from __future__ import annotations

import fnmatch
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


#: exact file name → the module whose parser reads it
MODULE_FOR_NAME: dict[str, str] = {
    "bun.lock": "bun_lock",
    "Cargo.lock": "cargo_lock",
    "composer.lock": "composer_lock",
    "conan.lock": "conan_lock",
    "Gemfile.lock": "gemfile_lock",
    "gems.locked": "gemfile_lock",
    "go.mod": "go_mod",
    "gradle.lockfile": "gradle_lock",
    "buildscript-gradle.lockfile": "gradle_lock",
    "mix.lock": "mix_lock",
    "package-lock.json": "npm_lock",
    "npm-shrinkwrap.json": "npm_lock",
    "packages.lock.json": "nuget_lock",
    "pdm.lock": "pdm_lock",
    "Pipfile.lock": "pipfile_lock",
    "pnpm-lock.yaml": "pnpm_lock",
    "poetry.lock": "poetry_lock",
    "pom.xml": "pom_xml",
    "pubspec.lock": "pubspec_lock",
    "pylock.toml": "pylock",
    "pyproject.toml": "pyproject_declared",
    "requirements.txt": "python_requirements",
    "renv.lock": "renv_lock",
    "uv.lock": "uv_lock",
    "yarn.lock": "yarn_lock",
}
#: fnmatch pattern → module, for the formats named by pattern
MODULE_FOR_PATTERN: tuple[tuple[str, str], ...] = (
    ("*.pom", "pom_xml"),
    ("pylock.*.toml", "pylock"),
    ("*requirements*.txt", "python_requirements"),
)


def _in_requirements_dir(path: PurePath) -> bool:
    """pip's other layout: one file per purpose in a ``requirements/`` directory
    (``requirements/base.txt``, ``requirements/dev.txt``, as pip-tools and cookiecutter
    templates write them)."""
    return path.suffix == ".txt" and path.parent.name == "requirements"


@cache
def _module_parsers(module: str) -> tuple[LockfileParser, ...]:
    parsers: tuple[LockfileParser, ...] = importlib.import_module(f"{__name__}.{module}").PARSERS
    return parsers


def parser_for(path: PurePath) -> LockfileParser | None:
    """The parser that reads ``path`` by its file name, or None."""
    module = MODULE_FOR_NAME.get(path.name) or next(
        (m for pattern, m in MODULE_FOR_PATTERN if fnmatch.fnmatchcase(path.name, pattern)), None
    )
    if module is None and _in_requirements_dir(path):
        module = "python_requirements"
    if module is None:
        return None
    return next((p for p in _module_parsers(module) if p.matches(path)), None)


def parser_named(name: str) -> LockfileParser | None:
    """The parser with this ``name``, or None."""
    for parser in all_parsers():
        if parser.name == name:
            return parser
    return None
