"""Engines for the stores: database URLs, default locations, and per-backend settings.

SQLite is the default (one file under the user data dir); PostgreSQL through psycopg 3 is the
production backend (``postgresql://`` URLs are mapped to the psycopg driver). SQLite
connections get WAL mode, a busy timeout and foreign keys, so several processes can write to
one file without "database is locked" errors. SQLite transactions are begun explicitly:
``BEGIN`` by default, ``BEGIN IMMEDIATE`` on connections or engines with the execution option
``sqlite_begin="IMMEDIATE"`` — the way a writer takes the write lock before it reads what it
is about to change (pysqlite's own implicit transactions are switched off for this).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from steward.errors import UsageError

APP_NAME = "steward"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def data_dir() -> Path:
    """Where data that must not be lost lives (the case store); ``STEWARD_HOME`` overrides."""
    home = os.environ.get("STEWARD_HOME")
    return Path(home) if home else Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Where rebuildable data lives (the vulnerability index); ``STEWARD_CACHE`` overrides."""
    cache = os.environ.get("STEWARD_CACHE")
    return Path(cache) if cache else Path(user_cache_dir(APP_NAME))


def normalise_url(url_or_path: str | Path) -> str:
    """Turn a database URL or a plain file path into a SQLAlchemy URL string.

    ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``; a path without a
    scheme is a SQLite file.
    """
    text = str(url_or_path)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def make_engine(url_or_path: str | Path, **kwargs: Any) -> Engine:
    """Create an engine for a URL or SQLite path, with the backend's settings applied."""
    url_text = normalise_url(url_or_path)
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise UsageError(f"not a database URL or path: {url_or_path}") from None
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
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


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_on_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
        raise ValueError(f"sqlite_begin must be DEFERRED, IMMEDIATE or EXCLUSIVE, not {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}")
