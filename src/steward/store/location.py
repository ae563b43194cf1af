"""Where a database is, checked before anything opens it: no traceback, nothing created by a read.

Every command that takes ``--db`` (the case store, the service's store, the vulnerability
database) goes through these checks first, so a database that cannot be used is one line
naming it and the problem (exit 2), and a command that only reads never creates a file or a
directory as a side effect:

- a URL with a known scheme but a missing ``//`` (``postgresql:/host/db``) is refused; it
  used to be taken for a relative SQLite file named ``postgresql:``;
- a SQLite path must be a regular file (not a directory, FIFO or device) starting with the
  SQLite header (an empty file is refused too, after a moment's wait for a process creating
  it to write the header: Steward did not make it), readable, and
  writable when the command writes;
- a missing SQLite file is created (with its directory) only by a command that writes.

Kept free of SQLAlchemy: ``steward vulns`` reads its database through ``sqlite3`` and must
start fast. The settings every SQLite connection of a store gets (:func:`configure_sqlite`)
live here too, for the SQLAlchemy engine and the plain ``sqlite3`` path alike.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_data_dir

from steward.errors import InputError, NotFoundError, UsageError

APP_NAME = "steward"

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def configure_sqlite(dbapi_connection: Any) -> None:
    """Settings of every connection to a SQLite store: write-ahead log (readers never wait
    for the writer), a busy timeout (writers wait for each other instead of failing),
    foreign keys enforced, and NORMAL synchronisation (safe with a write-ahead log). The
    transactions are begun explicitly by the caller (``isolation_level`` None)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _switch_to_wal(cursor: Any, timeout: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
    """``PRAGMA journal_mode=WAL``, retried while the database is locked, for up to
    ``timeout`` seconds. When several processes open a new file at once, the switch can fail
    at once with "database is locked" while another process is switching (SQLite does not
    always call the busy handler for the locks of a write-ahead log being set up): seen as
    one of four processes failing in about one round of twenty (tests/hostile/
    test_db_migrate_race.py). Other errors, and a lock that outlasts ``timeout``, are raised."""
    import sqlite3
    import time

    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if "locked" not in message and "busy" not in message:
                raise
            if time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


#: a database URL scheme (``postgresql``, ``postgres+psycopg``, ``sqlite`` ...) written with
#: one slash or none, e.g. ``postgresql:/host/db`` or ``postgres:host``
_MISTYPED = re.compile(
    r"^(?P<scheme>postgres(?:ql)?|sqlite|mysql|mariadb|oracle|mssql)(?:\+\w+)?:(?!//)", re.I
)


def display_name(url_or_path: str | Path) -> str:
    """How a database is named in messages: the path, or the URL without its password."""
    text = str(url_or_path)
    if "://" not in text:
        return text
    return re.sub(r"^([^:/]+://[^:/@]*):[^@/]*@", r"\1:***@", text)


def refuse_mistyped_url(url_or_path: str | Path) -> None:
    """Raise :class:`UsageError` for ``postgresql:/host/db`` and other URLs missing ``//``."""
    text = str(url_or_path)
    match = _MISTYPED.match(text)
    if match is not None:
        scheme = match.group("scheme").lower()
        raise UsageError(
            f"--db {text!r}: not a database URL (a {scheme} URL starts with "
            f"'{scheme}://'); a local file named like this is refused"
        )


def is_url(url_or_path: str | Path) -> bool:
    """True for a database URL (``scheme://...``), False for a file path."""
    refuse_mistyped_url(url_or_path)
    return "://" in str(url_or_path)


def check_sqlite_file(path: str | Path, *, create: bool, write: bool) -> bool:
    """Check a SQLite database path before opening it; True if the file exists.

    ``create``: a missing file may be created (its directory too), else it is a
    :class:`NotFoundError`. ``write``: the command will write, so the file must be
    writable. Raises :class:`InputError` naming the path for a directory, FIFO, device,
    a file that is not SQLite, or one that cannot be read or written.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        if not create:
            raise NotFoundError("no such database", source=p) from None
        parent = p.parent
        if parent.exists() and not parent.is_dir():
            raise InputError(
                f"cannot create the database: {parent} is not a directory", source=p
            ) from None
        return False
    except NotADirectoryError:
        raise InputError(
            "cannot open the database: a parent is not a directory", source=p
        ) from None
    except OSError as exc:
        raise InputError(f"cannot open the database: {exc.strerror or exc}", source=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("cannot open the database: it is a directory", source=p)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            "cannot open the database: not a regular file (a FIFO or device?)", source=p
        )
    try:
        header = _header(p)
    except OSError as exc:
        raise InputError(f"cannot read the database: {exc.strerror or exc}", source=p) from None
    if not header:
        raise InputError(
            "cannot open the database: an empty file (remove it, or name a new path, to start one)",
            source=p,
        )
    if header != SQLITE_HEADER:
        raise InputError("cannot open the database: not a SQLite file (wrong header)", source=p)
    if write and not os.access(p, os.W_OK):
        raise InputError("the database file is read-only", source=p)
    return True


#: how long an empty file is given to become a database (another process creating it)
EMPTY_FILE_WAIT_S = 1.0


def _header(p: Path) -> bytes:
    """The file's first bytes. An empty file is read again for up to
    :data:`EMPTY_FILE_WAIT_S`: SQLite creates a new database file empty and writes its header
    a moment later, so a process starting on a store another one is creating right now (two
    first commands at once, issue 15 item 11) would otherwise refuse it as an empty file."""
    deadline = time.monotonic() + EMPTY_FILE_WAIT_S
    while True:
        with p.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header or time.monotonic() >= deadline:
            return header
        time.sleep(0.01)


def data_dir() -> Path:
    """Where data that must not be lost lives (the case store); ``STEWARD_HOME`` overrides."""
    home = os.environ.get("STEWARD_HOME")
    return Path(home) if home else Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Where rebuildable data lives (the vulnerability index); ``STEWARD_CACHE`` overrides."""
    cache = os.environ.get("STEWARD_CACHE")
    return Path(cache) if cache else Path(user_cache_dir(APP_NAME))
