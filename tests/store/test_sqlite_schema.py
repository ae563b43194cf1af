"""The checked-in SQLite schema script equals what the migrations make (issue 15, item 12).

A new local store is created from ``steward/store/sqlite_schema.sql`` instead of Alembic
(start-up cost). These tests run the real migrations on a temporary SQLite file and compare
``sqlite_master`` (every table, index and trigger, with its SQL) and ``alembic_version`` with
what the script creates, so a new migration without a regenerated script fails here; and
they check that a store made by the script is one every other path uses: the SQLAlchemy
store, the models (autogenerate finds no difference), Alembic going down and up again.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from steward.store.engine import make_engine
from steward.store.migrate import current_revision, head_revision, upgrade
from steward.store.sqlite_cases import HEAD_REVISION
from steward.store.sqlite_schema import SCHEMA_SQL, create, generate, statements

Master = list[tuple[str, str, str, str | None]]


def _master(path: Path) -> Master:
    """sqlite_master without the page numbers, in creation order; SQL compared verbatim."""
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()
    return [(str(t), str(n), str(tb), None if s is None else str(s)) for t, n, tb, s in rows]


def _loose(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """:func:`_master` without the order: the rows sorted, each statement's lines sorted
    (commas at their ends dropped), ``CREATE TABLE "name"`` read as ``CREATE TABLE name``."""
    rows = []
    for kind, name, table, sql in _master(path):
        text = re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", sql or "")
        rows.append(
            (kind, name, table, sorted(line.strip().rstrip(",") for line in text.split("\n")))
        )
    return sorted(rows)


def _versions(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return [str(v) for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()


def _migrated(path: Path) -> Path:
    engine = make_engine(path)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return path


def test_script_creates_exactly_what_the_migrations_make(tmp_path: Path) -> None:
    by_alembic = _migrated(tmp_path / "alembic.db")
    by_script = tmp_path / "script.db"
    assert create(by_script) is True
    master = _master(by_alembic)
    assert {kind for kind, *_ in master} == {"table", "index", "trigger"}
    assert _master(by_script) == master
    assert _versions(by_script) == _versions(by_alembic) == [head_revision()]
    assert head_revision() == HEAD_REVISION


def test_checked_in_script_is_the_generated_one() -> None:
    """The file is byte for byte what ``python -m steward.store.sqlite_schema`` writes now."""
    assert SCHEMA_SQL.read_text(encoding="utf-8") == generate(), (
        "src/steward/store/sqlite_schema.sql is stale: run `python -m steward.store.sqlite_schema`"
    )


def test_a_stale_script_would_be_caught(tmp_path: Path) -> None:
    """The comparison sees a missing index and a changed column (it can fail)."""
    script = SCHEMA_SQL.read_text(encoding="utf-8")
    altered = script.replace("CREATE INDEX ix_cases_project_id ON cases (project_id);\n", "")
    assert altered != script
    conn = sqlite3.connect(str(tmp_path / "stale.db"))
    for statement in statements(altered):
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert _master(tmp_path / "stale.db") != _master(_migrated(tmp_path / "alembic.db"))


def test_create_leaves_an_existing_schema_alone(tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    assert create(db) is True
    before = _master(db)
    assert create(db) is False
    assert _master(db) == before
    other = tmp_path / "other.db"
    conn = sqlite3.connect(str(other))
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    assert create(other) is False  # not an empty file: not ours to fill
    assert [name for _, name, *_ in _master(other)] == ["mine"]


def test_create_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way leaves no schema behind (the next open starts afresh)."""
    import steward.store.sqlite_schema as schema

    good = statements()
    monkeypatch.setattr(schema, "statements", lambda: [*good[:5], "CREATE TABLE broken ("])
    db = tmp_path / "cases.db"
    with pytest.raises(sqlite3.Error):
        create(db)
    assert _master(db) == []
    monkeypatch.undo()
    assert create(db) is True


def _down_and_up(engine: Engine) -> None:
    """Alembic takes the database down to 0001 and up to the head again."""
    from alembic import command

    from steward.store.migrate import alembic_config

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert current_revision(engine) == "0001"
    assert upgrade(engine).after == head_revision()


def test_script_made_store_serves_every_path(tmp_path: Path) -> None:
    """The SQLAlchemy store opens it without migrating, the models match it, Alembic takes
    it down to 0001 and up again exactly as it does a migrated store (a later migration
    starts from this revision), and the plain-sqlite3 writer and reader open it."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from steward.store.cases import CaseStore
    from steward.store.models import Base
    from steward.store.sqlite_cases import SqliteCases
    from steward.store.sqlite_writes import SqliteCaseStore

    db = tmp_path / "cases.db"
    assert create(db)
    store = CaseStore(str(db), create=False)
    try:
        assert store.migration is not None and store.migration.before == head_revision()
        assert store.creation_note() is None
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        _down_and_up(store.engine)
    finally:
        store.close()
    migrated = _migrated(tmp_path / "alembic.db")
    engine = make_engine(migrated)
    try:
        _down_and_up(engine)
    finally:
        engine.dispose()
    # Alembic's batch operations recreate tables in an order (of tables, of a table's
    # constraints) that varies from run to run, so after the round trip the two are
    # compared with each statement's lines sorted and a renamed table's quotes dropped
    assert _loose(db) == _loose(migrated)
    writer = SqliteCaseStore.open_writer(str(db))
    reader = SqliteCases.open(str(db))
    assert writer is not None and reader is not None
    writer.close()
    reader.close()
