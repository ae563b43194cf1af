"""The file tree of a checkout: walked once, read safely.

The walk uses ``os.scandir`` directly (not ``os.walk``/``Path.rglob``) because it visits every
directory exactly once, gets the file type from the directory entry without an extra
``stat`` where the OS allows, and lets us refuse symlinks at the point we meet them: a
symlink is recorded (with whether it stays inside the tree) and never followed, so nothing
outside the root is ever listed or read. A symlink to a regular file inside the tree (a
``README.md`` linking ``docs/index.md``, as mdoc sites do) is a second name of that file:
``find`` answers it for the documents looked up by name, and ``read`` reads the file it names
(itself a file of the walk, opened without following links). ``.git`` is skipped, and so
are local environments and caches (``.venv``, ``node_modules``, ``__pycache__``...) that a
fresh clone never has.

Files are indexed by extension and base name (``with_ext``, ``named``, ``grep_paths``), so a
collector looking for, say, lockfiles or licence documents looks only at the few candidate
paths instead of running a regular expression over all 100k.

Reads are capped (``MAX_READ`` = 1 MiB): a larger file is read up to the cap and flagged
``truncated``; a file with NUL bytes in its first 8 KiB is flagged ``binary`` and not
decoded. Files are opened with ``O_NOFOLLOW``, so a file swapped for a symlink between walk
and read is refused rather than followed.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from steward.collect.facts import FileEntry, Problem, Source
from steward.safeio import is_clean_name, printable_name

MAX_READ = 1024 * 1024
# files kept only so that git keeps an otherwise empty directory (or, .nojekyll, so that
# GitHub Pages serves it as it is): they hold no content of their own
_PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore", ".placeholder", ".empty",
                           ".nojekyll"})  # fmt: skip
# VCS metadata, and local environments and caches that are never part of a checkout
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
    }
)
_VENDORED = re.compile(
    r"(?:^|/)(?:node_modules|vendor|third[-_]?party|3rdparty|external|\.venv|venv|"
    r"site-packages|build|dist|target|out|bower_components|_build|deps)/"
)
# directories of tests, test data and examples, by the names the ecosystems give them: Perl's
# and Git's `t/`, Meson's `test cases/`, `unit-tests`, `testsuite`, Maven's `src/it`, Ruby's
# `spec/`, Jest's `__tests__`, ... (Renovate's `:ignoreModulesAndTests` preset leaves the
# common ones out of dependency updates for the same reason); Conan's `test_package/` is the
# consumer test of a recipe (its conanfile.py requires the package under test); the files
# tests read are named every way: `test_files/` (the keys of thephpleague/flysystem's test
# SFTP server), `test-assets/`, `testfiles/`, `test_certs/`, `test-vectors/`, `test_inputs/`
# directories of test inputs only (not of tests): what a test reads, whose files may be named
# like tests or carry keys and manifests
_TEST_INPUT_NAMES = (
    r"testdata|fixtures?|__fixtures__|golden|"
    r"tests?[-_ ]?(?:data|fixtures?|files?|assets?|resources?|inputs?|certs?|certificates|"
    r"keys|vectors?|materials?)"
)
_TEST_INPUT_DIR = re.compile(rf"^(?:{_TEST_INPUT_NAMES})$", re.I)
# ... and with the directories of the tests themselves and of examples
_NOT_PROJECT_DIR = re.compile(
    rf"^(?:{_TEST_INPUT_NAMES}|"
    r"t|tests?|testing|__tests__|__mocks__|examples?|samples?|demos?|it|"
    r"(?:unit|integ(?:ration)?|functional|regression|acceptance|system|smoke|conformance|"
    r"interop|perf(?:ormance)?)[-_ ]?tests?|"
    r"e2e|spec|specs|mocks?|"
    r"tests?[-_ ]?(?:projects?|cases?|suites?|apps?|repos?|packages?|support))$",
    re.I,
)


def is_test_input_dir(name: str) -> bool:
    """A directory name that holds test inputs, not tests (``testdata``, ``fixtures``,
    ``test_files``, ``test-assets``, ``test-vectors``...), case-insensitively."""
    return _TEST_INPUT_DIR.match(name) is not None


def is_not_project_dir(name: str) -> bool:
    """A directory name that holds tests, test data or examples (``tests``, ``t``,
    ``test cases``, ``fixtures``, ``examples``...), case-insensitively: what lies under it is
    not the project's own manifests, credentials or build inputs."""
    return _NOT_PROJECT_DIR.match(name) is not None


def not_the_projects(path: str) -> bool:
    """A path under vendored code, build output, tests, test fixtures or examples: not the
    project's own manifests, credentials or build inputs."""
    if _VENDORED.search(path):
        return True
    return any(_NOT_PROJECT_DIR.match(part) for part in path.split("/")[:-1])


_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True, slots=True)
class Content:
    """A file's content as read: text (None for binary or unreadable), flags, problem."""

    path: str
    text: str | None
    data: bytes
    binary: bool = False
    truncated: bool = False
    problem: str | None = None


@dataclass
class Tree:
    """Every regular file under the root (relative POSIX paths), read lazily and cached."""

    root: Path
    files: dict[str, FileEntry] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    symlinks: dict[str, bool] = field(default_factory=dict)  # path -> stays inside the tree
    links: dict[str, str] = field(default_factory=dict)  # symlink -> the tree's file it names
    problems: list[Problem] = field(default_factory=list)
    _lower: dict[str, str] = field(default_factory=dict)
    _lower_dirs: set[str] = field(default_factory=set)
    _lower_links: dict[str, str] = field(default_factory=dict)
    _cache: dict[tuple[str, int], Content] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookup
    def find(self, *candidates: str) -> str | None:
        """The first candidate path present (a file, or a symlink to a file of the tree),
        matched case-insensitively."""
        for candidate in candidates:
            hit = self._lower.get(candidate.lower()) or self._lower_links.get(candidate.lower())
            if hit is not None:
                return hit
        return None

    def find_all(self, *candidates: str) -> list[str]:
        found = []
        for candidate in candidates:
            hit = self._lower.get(candidate.lower()) or self._lower_links.get(candidate.lower())
            if hit is not None and hit not in found:
                found.append(hit)
        return found

    @cached_property
    def _sorted(self) -> list[str]:
        return sorted(self.files)

    @cached_property
    def _index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        by_ext: dict[str, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        for path in self._sorted:
            name = path.rpartition("/")[2].lower()
            by_name.setdefault(name, []).append(path)
            stem, dot, ext = name.rpartition(".")
            by_ext.setdefault(ext if dot and stem else "", []).append(path)
        return by_ext, by_name

    def with_ext(self, *exts: str) -> list[str]:
        """Files (anywhere) whose extension is one of ``exts`` (lower case, no dot)."""
        by_ext = self._index[0]
        return sorted(p for e in exts for p in by_ext.get(e, ()))

    def module_files(self, *names: str) -> list[str]:
        """Files named one of ``names`` (case-insensitive) one directory below the root,
        outside tests, examples and vendored code: the build manifests of a repository of
        sibling modules without an aggregating one at the root (Jakarta Annotations' ``api/``
        and ``spec/`` POMs, held-out-11e). Callers use them when the root has none."""
        return [p for p in self.named(*names) if p.count("/") == 1 and not not_the_projects(p)]

    def named(self, *names: str) -> list[str]:
        """Files (anywhere) whose base name is one of ``names`` (case-insensitive)."""
        by_name = self._index[1]
        return sorted(p for n in names for p in by_name.get(n.lower(), ()))

    def grep_paths(self, pattern: re.Pattern[str], exts: tuple[str, ...]) -> Iterator[str]:
        """Files with one of ``exts`` whose path matches ``pattern``."""
        for path in self.with_ext(*exts):
            if pattern.search(path):
                yield path

    def in_dir(self, directory: str) -> list[str]:
        """Files directly inside ``directory`` ("" for the root)."""
        prefix = f"{directory.rstrip('/')}/" if directory else ""
        return [p for p in self.files_under(directory) if "/" not in p[len(prefix) :]]

    def has_dir(self, directory: str) -> bool:
        return directory.lower().rstrip("/") in self._lower_dirs if directory else True

    def holds_content(self, directory: str) -> bool:
        """Whether ``directory`` holds a file other than a placeholder: ``docs/.gitkeep``
        alone keeps an empty directory in git (the pds/skeleton layout, ramsey/collection,
        held-out-16d), so such a directory documents nothing. The directory's name is
        matched in any case, as ``has_dir`` does."""
        want = directory.lower().rstrip("/")
        named = [d for d in self.dirs if d.lower() == want]
        return any(
            p.rpartition("/")[2].lower() not in _PLACEHOLDERS
            for d in named
            for p in self.files_under(d)
        )

    def files_under(self, directory: str) -> list[str]:
        """Files anywhere below ``directory`` ("" for all), in sorted order."""
        if not directory:
            return list(self._sorted)
        prefix = f"{directory.rstrip('/')}/"
        paths = self._sorted
        out = []
        for i in range(bisect.bisect_left(paths, prefix), len(paths)):
            if not paths[i].startswith(prefix):
                break
            out.append(paths[i])
        return out

    # ------------------------------------------------------------------ reading
    def read(self, path: str, *, limit: int = MAX_READ) -> Content:
        """Read a file found by the walk, safely (cap, no symlinks, binary detection)."""
        key = (path, limit)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        content = self._read(path, limit)
        self._cache[key] = content
        return content

    def _read(self, path: str, limit: int) -> Content:
        if path not in self.files and path in self.links:  # a second name of a tree file
            return replace(self.read(self.links[path], limit=limit), path=path)
        if path not in self.files:
            return Content(path, None, b"", problem="not a regular file in the tree")
        full = self.root / path
        try:
            fd = os.open(full, _O_FLAGS)
        except OSError as exc:
            return Content(path, None, b"", problem=f"cannot read: {exc.strerror or exc}")
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return Content(path, None, b"", problem="not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            return Content(path, None, b"", problem=f"cannot read: {exc.strerror or exc}")
        finally:
            os.close(fd)
        truncated = len(data) > limit
        data = data[:limit]
        if b"\x00" in data[:8192]:
            return Content(path, None, data, binary=True, truncated=truncated)
        text = data.decode("utf-8-sig", errors="replace")
        return Content(path, text, data, truncated=truncated)


def walk(root: Path) -> Tree:
    """List every regular file under ``root`` once, skipping VCS directories and symlinks."""
    root = Path(root)
    tree = Tree(root=root)
    real_root = os.path.realpath(root)
    stack: list[tuple[str, str]] = [(str(root), "")]
    files = tree.files
    targets: dict[str, str] = {}
    while stack:
        directory, rel = stack.pop()
        try:
            it = os.scandir(directory)
        except OSError as exc:
            tree.problems.append(
                Problem(Source(path=rel or "."), f"cannot list: {exc.strerror or exc}", "files")
            )
            continue
        with it:
            for entry in it:
                name = entry.name
                relpath = f"{rel}/{name}" if rel else name
                if not is_clean_name(name):
                    shown = printable_name(relpath)
                    why = "name is not valid UTF-8; not read"
                    tree.problems.append(Problem(Source(path=shown), why, "files"))
                    continue
                try:
                    if entry.is_symlink():
                        target = os.path.realpath(entry.path)
                        inside = target == real_root or target.startswith(real_root + os.sep)
                        tree.symlinks[relpath] = inside
                        if inside and target != real_root:
                            targets[relpath] = os.path.relpath(target, real_root)
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if name in _SKIP_DIRS:
                            continue
                        tree.dirs.add(relpath)
                        stack.append((entry.path, relpath))
                        continue
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        files[relpath] = FileEntry(
                            relpath, st.st_size, bool(st.st_mode & stat.S_IXUSR)
                        )
                except OSError as exc:
                    tree.problems.append(
                        Problem(
                            Source(path=relpath), f"cannot stat: {exc.strerror or exc}", "files"
                        )
                    )
    tree._lower = {p.lower(): p for p in sorted(files, reverse=True)}
    tree._lower_dirs = {d.lower() for d in tree.dirs}
    tree.links = {
        link: target.replace(os.sep, "/")
        for link, target in targets.items()
        if target.replace(os.sep, "/") in files
    }
    tree._lower_links = {p.lower(): p for p in sorted(tree.links, reverse=True)}
    return tree
