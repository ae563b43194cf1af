"""Opening an up-to-date store needs no Alembic: the cheap revision check agrees with Alembic.

:func:`steward.store.migrate.upgrade` compares the stored revision (one query) with the newest
revision script (read from the scripts' ``revision`` lines) and imports Alembic only when they
differ. These tests hold the cheap answers to Alembic's own, on both backends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from steward.store import migrate
from steward.store.engine import make_engine


def test_script_head_is_alembics_head() -> None:
    assert migrate.script_head() is not None
    assert migrate.script_head() == migrate.head_revision()


def test_stored_revision_agrees_with_alembic(db_url: str) -> None:
    engine = make_engine(db_url)
    assert migrate.stored_revision(engine) is None  # a new, empty database
    migrate.upgrade(engine)
    assert migrate.stored_revision(engine) == migrate.current_revision(engine)
    assert migrate.stored_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_an_older_database_is_still_upgraded(db_url: str) -> None:
    from alembic import command

    engine = make_engine(db_url)
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    assert migrate.stored_revision(engine) == "0001"
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_a_stored_revision_that_is_no_script_goes_to_alembic(db_url: str) -> None:
    """A revision the scripts do not know is Alembic's to refuse, as before (not skipped)."""
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(Exception, match="ffff"):
        migrate.upgrade(engine)
    engine.dispose()


@pytest.mark.parametrize(
    "source",
    [
        'revision = "0003"\ndown_revision = ("0001", "0002")\n',  # a merge
        "revision = make()\ndown_revision = None\n",  # not a literal
    ],
)
def test_scripts_it_cannot_read_leave_the_answer_to_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    for script in migrate.VERSIONS.glob("*.py"):
        (tmp_path / script.name).write_text(script.read_text(encoding="utf-8"))
    (tmp_path / "0003_other.py").write_text(source)
    monkeypatch.setattr(migrate, "VERSIONS", tmp_path)
    assert migrate.script_head() is None


def test_two_heads_are_no_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for script in migrate.VERSIONS.glob("*.py"):
        (tmp_path / script.name).write_text(script.read_text(encoding="utf-8"))
    (tmp_path / "0003_branch.py").write_text('revision = "0003"\ndown_revision = "0001"\n')
    monkeypatch.setattr(migrate, "VERSIONS", tmp_path)
    assert migrate.script_head() is None
