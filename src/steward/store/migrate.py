"""Schema migrations (Alembic), applied programmatically whenever a store is opened.

Users never run ``alembic`` by hand: :func:`upgrade` brings any database to the newest
revision inside one transaction (PostgreSQL DDL is transactional; SQLite runs the same
revision scripts in batch mode). Concurrent openers are serialised by the database.

Opening a store that is already up to date does not import Alembic (about a tenth of a
second of every command's start-up): the stored revision is read with one query and compared
with the newest revision script's ``revision`` assignment; Alembic runs only when they differ.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps
_REVISION = re.compile(r"^revision\s*=\s*(['\"])([^'\"]+)\1\s*$", re.M)
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

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade the database behind ``engine`` to the newest schema revision."""
    head = script_head()
    if head is not None and stored_revision(engine) == head:
        return  # up to date: no Alembic import
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
