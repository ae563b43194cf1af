"""Finding lockfiles in a project tree.

One walk of the tree (``os.scandir`` through ``os.walk``), pruning vendored and generated
directories and test data (``fixtures``, ``testdata``...) unless asked, never following
symbolic links: a linked file is read only if it resolves inside the tree. Which files count
is decided by the parsers' own name rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
#: directories of test data, skipped unless ``include_vendored``: the lockfiles in them describe
#: made-up projects a test suite reads (npm/cli keeps ~150 under ``test/fixtures``: 2,290 of
#: the 3,326 components its SBOM listed), never what the project ships. ``testdata`` is the
#: Go toolchain's own name for such a directory, which ``go`` ignores as well.
TEST_DATA = frozenset(
    {"fixtures", "fixture", "__fixtures__", "testdata", "test-data", "test_data",
     "test-fixtures", "test_fixtures", "testfixtures"}
)  # fmt: skip
#: directories never worth walking
ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", ".idea", ".vscode", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)


@dataclass(frozen=True)
class Found:
    path: Path
    parser: LockfileParser


def discover(
    root: Path, *, include_vendored: bool = False, parser: LockfileParser | None = None
) -> list[Found]:
    """Every lockfile under ``root`` (or ``root`` itself if it is a file), sorted by path.

    ``parser`` reads a single file whose name does not say its format.
    """
    if root.is_file():
        parser = parser or parser_for(root)
        if parser is None:
            raise InputError("not a lockfile or manifest Steward can read", source=root)
        return [Found(root, parser)]
    if not root.is_dir():
        raise InputError("no such file or directory", source=root)
    skipped = ALWAYS_SKIPPED | (frozenset() if include_vendored else VENDORED | TEST_DATA)
    found: list[Found] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
        for name in filenames:
            path = Path(directory) / name
            parser = parser_for(path)
            if parser is None:
                continue
            # a link out of the tree (or a loop) is kept: parsing refuses it with a warning
            # naming it (steward.sbom.scanroot), and never reads it
            found.append(Found(path, parser))
    found.sort(key=lambda f: str(f.path))
    return found
