"""Finding lockfiles in a project tree.

One walk of the tree (``os.scandir`` through ``os.walk``), pruning vendored and generated
directories unless asked, never following symbolic links: a linked file is read only if it
resolves inside the tree. Which files count is decided by the parsers' own name rules.

Lockfiles under directories of tests, test data and examples (``tests/fixtures``, ``t/``,
``examples/``, Meson's ``test cases/``; the names :func:`steward.collect.tree.
is_not_project_dir` knows, the same that ``steward assess`` leaves out) are not the product's
dependencies: a lockfile parser's fixtures or an example application would otherwise enter
the SBOM and the vulnerability scan. They are left out unless asked and named in
``Discovery.left_out``, so the command can say what it did not read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from steward.collect.tree import is_not_project_dir
from steward.errors import InputError
from steward.sbom.ecosystems import parser_for
from steward.sbom.ecosystems.base import LockfileParser

#: directories skipped unless ``include_vendored``: installed or vendored third-party trees
VENDORED = frozenset(
    {
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "third_party",
        "third-party",
        "site-packages",
        "dist-packages",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "__pycache__",
        ".cargo",
        ".gradle",
        ".m2",
        "Pods",
        "Carthage",
        "_build",
        "deps",
        ".bundle",
    }
)
#: directories never worth walking
ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", ".idea", ".vscode", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)


@dataclass(frozen=True)
class Found:
    path: Path
    parser: LockfileParser


def discover(
    root: Path,
    *,
    include_vendored: bool = False,
    include_tests: bool = False,
    parser: LockfileParser | None = None,
    left_out: list[Path] | None = None,
) -> list[Found]:
    """Every lockfile under ``root`` (or ``root`` itself if it is a file), sorted by path.

    ``parser`` reads a single file whose name does not say its format. Lockfiles below a
    test, test-data or example directory of ``root`` are skipped unless ``include_tests``;
    their paths are appended to ``left_out`` when given (sorted).
    Raises :class:`InputError` when ``root`` is neither a file nor a directory, or is a file
    no parser reads.
    """
    if root.is_file():
        parser = parser or parser_for(root)
        if parser is None:
            raise InputError("not a lockfile or manifest Steward can read", source=root)
        return [Found(root, parser)]
    if not root.is_dir():
        raise InputError("no such file or directory", source=root)
    skipped = ALWAYS_SKIPPED | (frozenset() if include_vendored else VENDORED)
    found: list[Found] = []
    tests: list[Path] = []
    test_dirs: set[str] = set()  # directories at or under a test/example directory
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
        if not include_tests:
            inside = directory in test_dirs
            # os.walk names a subdirectory os.path.join(directory, name): the same string
            test_dirs.update(
                os.path.join(directory, d)  # noqa: PTH118
                for d in dirnames
                if inside or is_not_project_dir(d)
            )
        for name in filenames:
            path = Path(directory) / name
            parser = parser_for(path)
            if parser is None:
                continue
            if directory in test_dirs:
                tests.append(path)
                continue
            # a link out of the tree (or a loop) is kept: parsing refuses it with a warning
            # naming it (steward.sbom.scanroot), and never reads it
            found.append(Found(path, parser))
    found.sort(key=lambda f: str(f.path))
    if left_out is not None:
        left_out.extend(sorted(tests))
    return found
