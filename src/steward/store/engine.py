"""Engines for the stores: database URLs, default locations, and per-backend settings.

SQLite is the default (one file under the user data dir); PostgreSQL through psycopg 3 is the
production backend (``postgresql://`` URLs are mapped to the psycopg driver). SQLite
connections get WAL mode, a busy timeout and foreign keys, so several processes can write to
one file without "database is locked" errors. SQLite transactions are begun explicitly:
``BEGIN`` by default, ``BEGIN IMMEDIATE`` on connections or engines with the execution option
``sqlite_begin="IMMEDIATE"`` — the way a writer takes the write lock before it reads what it
is about to change (pysqlite's own implicit transactions are switched off for this).

Opening is checked (:mod:`steward.store.location`, :func:`check_connection`): a database
that cannot be used is an :class:`~steward.errors.InputError` naming it (exit 2), a mistyped
URL is refused instead of becoming a local file, and only commands that write create a
missing SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from steward.errors import InputError, UsageError
from steward.store.failures import DatabaseUnusable as DatabaseUnusable
from steward.store.failures import unusable
from steward.store.location import APP_NAME as APP_NAME
from steward.store.location import SQLITE_BUSY_TIMEOUT_MS as SQLITE_BUSY_TIMEOUT_MS
from steward.store.location import cache_dir as cache_dir
from steward.store.location import (
    check_sqlite_file,
    configure_sqlite,
    display_name,
    refuse_mistyped_url,
)
from steward.store.location import data_dir as data_dir


def normalise_url(url_or_path: str | Path) -> str:
    """Turn a database URL or a plain file path into a SQLAlchemy URL string.

    ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``; a path without a
    scheme is a SQLite file.
    """
    text = str(url_or_path)
    refuse_mistyped_url(text)
    if "://" not in text:
        # absolute, not resolved: a symlink loop is then named by check_sqlite_file
        return f"sqlite:///{Path(text).expanduser().absolute()}"
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def make_engine(url_or_path: str | Path, *, create: bool = True, **kwargs: Any) -> Engine:
    """Create an engine for a URL or SQLite path, with the backend's settings applied.

    ``create``: a missing SQLite file may be created (with its directory) by the first
    write; with False it is a :class:`~steward.errors.NotFoundError`. A SQLite path that is
    a directory, FIFO, device or not a SQLite file is an :class:`InputError` naming it.
    """
    url_text = normalise_url(url_or_path)
    try:
        url = make_url(url_text)
    except (ArgumentError, ValueError):
        raise UsageError(f"not a database URL or path: {display_name(url_or_path)}") from None
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:":
            exists = check_sqlite_file(database, create=create, write=create)
            if not exists and create:
                try:
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise InputError(
                        f"cannot create the database: {exc.strerror or exc}", source=database
                    ) from None
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    backend = url.get_backend_name()
    raise UsageError(f"unsupported database backend {backend!r} (use sqlite or postgresql)")


def database_error(
    exc: DBAPIError, url_or_path: str | Path, doing: str = "open"
) -> DatabaseUnusable:
    """One line naming the database and what the driver said (first line only)."""
    message = str(exc.orig if exc.orig is not None else exc)
    return unusable(message if message.strip() else type(exc).__name__, url_or_path, doing)


def check_connection(engine: Engine, url_or_path: str | Path) -> None:
    """Connect once and read the schema list: a refused connection, a wrong password, a file
    that is not a database or is corrupt becomes an :class:`InputError` naming it."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            else:
                conn.exec_driver_sql("SELECT 1").scalar()
    except DBAPIError as exc:
        engine.dispose()
        raise database_error(exc, url_or_path) from None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    configure_sqlite(dbapi_connection)  # we emit BEGIN ourselves (see _sqlite_on_begin)


def _sqlite_on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
        raise ValueError(f"sqlite_begin must be DEFERRED, IMMEDIATE or EXCLUSIVE, not {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}")
