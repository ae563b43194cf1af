"""Schema migrations (Alembic), applied programmatically whenever a store is opened.

Users never run ``alembic`` by hand: :func:`upgrade` brings any database to the newest
revision inside one transaction (PostgreSQL DDL is transactional; SQLite runs the same
revision scripts in batch mode).

Opening a store that is already up to date does not import Alembic (about a tenth of a
second of every command's start-up): the stored revision is read with one query and compared
with the newest revision script's ``revision`` assignment; Alembic runs only when they differ.

Several processes opening a fresh database at once (a service with workers, parallel CLI
calls) are serialised, so exactly one migrates and the others wait and find the schema
current: on PostgreSQL with a transaction-scoped advisory lock
(``pg_advisory_xact_lock``, released at commit or rollback); on SQLite with the database
file's own write lock, taken before the revision is read (``BEGIN IMMEDIATE``; SQLite's
locks are file locks, and the busy timeout makes the others wait instead of failing with
"database is locked", which a read-then-write transaction gets at once).

A database at a revision this Steward does not know (written by a newer one, or not a
Steward database) is an :class:`~steward.errors.InputError` naming it, as are connection
and migration failures of the driver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from steward.errors import InputError
from steward.store.engine import database_error
from steward.store.location import display_name

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps
_REVISION = re.compile(r"^revision\s*=\s*(['\"])([^'\"]+)\1\s*$", re.M)
#: the advisory lock key serialising Steward's migrations on a PostgreSQL database
#: (an arbitrary 63-bit constant: "steward" in ASCII)
ADVISORY_LOCK_KEY = 0x73746577617264
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(?:None|(['\"])([^'\"]+)\1)\s*$", re.M)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("steward.store") / "migrations"))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def script_head() -> str | None:
    """The newest revision of the scripts in ``migrations/versions``, without Alembic.

    Read from each script's ``revision = "..."`` and ``down_revision = "..." | None`` lines:
    the one revision no other script revises. ``None`` when that cannot be told this way
    (a merge revision, a branch, a script written otherwise): the caller then asks Alembic.
    """
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        if script.name.startswith("__"):
            continue
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0][1])
        if down[0][1]:
            revised.add(down[0][1])
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (``None`` for a database Alembic never ran on),
    read with one plain query; a table with several rows (branches) reads as ``None`` too."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise database_error(exc, _name(engine)) from None


def _name(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    return display_name(url.render_as_string(hide_password=True))


def _known(revision: str | None, engine: Engine) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        found = script.get_revision(revision)
    except CommandError:
        found = None
    if found is None:
        raise InputError(
            f"the database schema is at revision {revision!r}, which this Steward does not "
            "know (written by a newer Steward, or not a Steward database)",
            source=_name(engine),
        )


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


@dataclass(frozen=True)
class Migration:
    """What :func:`upgrade` did: the revision it found (``None``: an empty database, no
    schema yet) and the one it left."""

    before: str | None
    after: str | None

    def describe(self) -> str:
        """One line for the operator: created, upgraded, or already up to date."""
        if self.before == self.after:
            return f"database schema already at revision {self.after}"
        if self.before is None:
            return f"database schema created at revision {self.after}"
        return f"database schema upgraded from revision {self.before} to {self.after}"


def upgrade(engine: Engine) -> Migration:
    """Upgrade the database behind ``engine`` to the newest schema revision; returns the
    revision found and the one left (for a database another process migrated meanwhile,
    both are the newest: this call changed nothing).

    Safe to call from several processes at once (see the module docstring). Raises
    :class:`InputError` for an unknown revision or a database the driver cannot use.
    """
    head = script_head()
    try:
        if head is not None and stored_revision(engine) == head:
            return Migration(head, head)  # up to date: no Alembic import
    except DBAPIError as exc:
        raise database_error(exc, _name(engine)) from None
    newest = head_revision()
    current = current_revision(engine)
    if current == newest:
        return Migration(current, current)
    _known(current, engine)
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = alembic_config()
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    try:
        with writer.begin() as conn:
            _lock(conn)
            current = MigrationContext.configure(conn).get_current_revision()
            if current == newest:  # another process migrated while this one waited
                return Migration(current, current)
            _known(current, engine)
            before = current
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            after = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise database_error(exc, _name(engine), "migrate") from None
    return Migration(before, after)
