"""The incremental cache of bulk assessment: the one place results are kept between runs.

An assessment is stored under (repository, snapshot, catalog version, Steward version,
options). The snapshot is the assessed commit for a cloned repository, and the commit plus a
digest of the working tree for a local checkout (:mod:`steward.scale.checkout`). The
Steward version is part of the key because probes change between releases while the
catalog version stays; the options (role, level, ``--only``) because they change the result.
Only the newest snapshot per repository and context is kept, so the cache holds at most one
assessment per repository (about 10-20 KiB each, zlib-compressed JSON).

The driver alone reads and writes it (executors may run on other machines): before
submitting a repository it passes the cached snapshot along, the task compares it with the
repository's current one (``git ls-remote``, no clone) and answers ``unchanged``, and the
driver takes the assessment from here.

Storage: one SQLite file (stdlib ``sqlite3``, WAL journal), by default
``$STEWARD_CACHE/assess-many.sqlite`` (the user cache directory). A file that is not a
SQLite database of this layout is refused with an :class:`~steward.errors.InputError`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from steward.errors import InputError

FILE_NAME = "assess-many.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS assessments (
    repository TEXT NOT NULL,
    context TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    revision TEXT,
    stored_at REAL NOT NULL,
    assessment BLOB NOT NULL,
    PRIMARY KEY (repository, context)
)
"""


def default_path() -> Path:
    """``$STEWARD_CACHE/assess-many.sqlite``, else the user cache directory's."""
    env = os.environ.get("STEWARD_CACHE")
    if env:
        return Path(env) / FILE_NAME
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("steward")) / FILE_NAME


@dataclass(frozen=True, slots=True)
class Context:
    """What besides the repository and its snapshot decides an assessment."""

    catalog_version: str
    steward_version: str
    options: dict[str, Any]

    def key(self) -> str:
        return orjson.dumps(
            {"catalog": self.catalog_version, "steward": self.steward_version, **self.options},
            option=orjson.OPT_SORT_KEYS,
        ).decode()


class Cache:
    """Assessments by (repository, snapshot, context); see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            info = path.lstat()
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise InputError(f"cannot use the cache: {exc.strerror}", source=path) from None
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise InputError("the cache must be a regular file", source=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.execute("SELECT repository, context, snapshot, revision, stored_at, "
                             "assessment FROM assessments LIMIT 0")  # fmt: skip
        except (sqlite3.Error, OSError) as exc:
            raise InputError(f"not a usable assess-many cache: {exc}", source=path) from None

    def close(self) -> None:
        self._db.close()

    def known(self, repository: str, context: Context) -> str | None:
        """The snapshot cached for ``repository`` in ``context``, if any."""
        row = self._db.execute(
            "SELECT snapshot FROM assessments WHERE repository = ? AND context = ?",
            (repository, context.key()),
        ).fetchone()
        return str(row[0]) if row else None

    def get(self, repository: str, snapshot: str, context: Context) -> dict[str, Any] | None:
        """The cached assessment (``Assessment.to_dict()`` form) of that exact snapshot."""
        row = self._db.execute(
            "SELECT assessment FROM assessments "
            "WHERE repository = ? AND context = ? AND snapshot = ?",
            (repository, context.key(), snapshot),
        ).fetchone()
        if row is None:
            return None
        try:
            data: dict[str, Any] = orjson.loads(zlib.decompress(row[0]))
        except (zlib.error, orjson.JSONDecodeError):
            return None  # a damaged entry is a miss, and is replaced by the next put
        return data

    def put(
        self,
        repository: str,
        snapshot: str,
        context: Context,
        assessment: dict[str, Any],
        *,
        revision: str | None,
        stored_at: float,
    ) -> None:
        """Store an assessment, replacing any older snapshot of the repository."""
        blob = zlib.compress(orjson.dumps(assessment), 6)
        self._db.execute(
            "INSERT OR REPLACE INTO assessments "
            "(repository, context, snapshot, revision, stored_at, assessment) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (repository, context.key(), snapshot, revision, stored_at, blob),
        )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM assessments").fetchone()[0])
