"""A database handle: engine, migrations on open, read and write transactions with retries.

Every repository (cases, accounts, portfolio, jobs) runs its queries inside :meth:`read` or
:meth:`write`. Writers take the write lock before reading what they change (``BEGIN
IMMEDIATE`` on SQLite, row locks on PostgreSQL) and are retried on unique-key conflicts,
lock timeouts and serialisation failures, so concurrent processes do not lose work.

Opening checks the database first (:mod:`steward.store.location`): a directory, FIFO,
non-SQLite or corrupt file, a refused PostgreSQL connection or an unknown schema revision is
an :class:`~steward.errors.InputError` naming the database, and a store opened with
``create=False`` (commands that only read) never creates a missing SQLite file. A driver
error later on (a corrupt page, a lost connection) is an InputError naming it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from steward.store.engine import check_connection, database_error, make_engine
from steward.store.location import display_name
from steward.store.migrate import Migration, upgrade

T = TypeVar("T")
RETRIES = 8


class Database:
    """A store database (SQLite file or PostgreSQL), migrated to the newest schema on open."""

    def __init__(self, url_or_path: str, *, migrate: bool = True, create: bool = True) -> None:
        self.url = url_or_path
        self.engine: Engine = make_engine(url_or_path, create=create)
        self.backend = self.engine.dialect.name
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        #: what opening did to the schema (None: not migrated); ``migration.before is None``
        #: means this open created the database's schema
        self.migration: Migration | None = None
        try:
            check_connection(self.engine, url_or_path)
            if migrate:
                self.migration = upgrade(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def creation_note(self) -> str | None:
        """``<database>: database schema created at revision N`` when opening it created the
        schema (a new database), else None: for commands that may create one to say so."""
        if self.migration is None or self.migration.before is not None:
            return None
        return f"{display_name(self.url)}: {self.migration.describe()}"

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a write transaction, retrying on conflicts and lock timeouts."""
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except (IntegrityError, OperationalError) as exc:
                if attempt == RETRIES - 1 or not retryable(exc):
                    if _unusable(exc):
                        raise self._unusable(exc) from None
                    raise
                time.sleep(delay)
                delay *= 2
            except DatabaseError as exc:
                if not _unusable(exc):
                    raise
                raise self._unusable(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read transaction, retried on lock timeouts.

        ``work`` must not write: on SQLite a read transaction that starts writing half-way
        fails at once when another writer committed meanwhile. Audit lines of a read are
        written afterwards with :meth:`write` (see ``CaseStore.get``).
        """
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except OperationalError as exc:
                if attempt == RETRIES - 1 or not retryable(exc):
                    raise self._unusable(exc) from None
                time.sleep(delay)
                delay *= 2
            except DatabaseError as exc:
                if not _unusable(exc):
                    raise
                raise self._unusable(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _unusable(self, exc: DatabaseError) -> Exception:
        return database_error(exc, display_name(self.url), "use")

    # the names the case store has always used
    _write = write
    _read = read


def _unusable(exc: DatabaseError) -> bool:
    """A driver error about the database itself (corrupt, unreachable, read-only, locked for
    good), not about the statement: those stay internal errors."""
    if isinstance(exc, IntegrityError):
        return False
    return isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError


def retryable(exc: IntegrityError | OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if isinstance(exc, IntegrityError):
        return "unique" in text or "duplicate" in text or "primary key" in text
    return any(
        word in text
        for word in ("locked", "busy", "deadlock", "could not serialize", "lock timeout")
    )
