"""Kind 4 of issue 18: a database that cannot be used is one line naming it, exit 2, and a
command that only reads creates nothing.

Every command taking ``--db`` is tried with a corrupt, truncated, non-SQLite, FIFO and
directory path, a missing path, a refused PostgreSQL connection, a mistyped URL and a
database at an unknown schema revision.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

#: (command line before --db, whether it only reads); {tmp} is the test's directory
COMMANDS = [
    (["db", "status"], True),
    (["vulns", "{tmp}/project"], True),
    (["db", "import", "--kev", "{tmp}/kev.json"], False),
    (["case", "list"], True),
    (["case", "show", "C-1"], True),
    (["case", "due"], True),
    (["case", "profile", "show"], True),
    (["case", "new", "t"], False),
]

KEV = (
    '{"catalogVersion": "1", "dateReleased": "2026-01-01T00:00:00Z", "vulnerabilities": '
    '[{"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10"}]}'
)  # one entry: an empty catalog is refused before the database is opened


def _bad_databases(tmp: Path) -> dict[str, Path]:
    (tmp / "text.db").write_text("hello, not a database\n")
    (tmp / "random.db").write_bytes(os.urandom(4096))
    truncated = tmp / "truncated.db"
    with sqlite3.connect(tmp / "full.db") as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn.close()
    truncated.write_bytes((tmp / "full.db").read_bytes()[:1500])
    (tmp / "dir.db").mkdir()
    os.mkfifo(tmp / "fifo.db")
    (tmp / "empty.db").write_bytes(b"")
    (tmp / "loop.db").symlink_to(tmp / "loop.db")
    return {
        "empty": tmp / "empty.db",
        "symlink loop": tmp / "loop.db",
        "text": tmp / "text.db",
        "random": tmp / "random.db",
        "truncated": truncated,
        "directory": tmp / "dir.db",
        "fifo": tmp / "fifo.db",
    }


def _args(words: list[str], tmp: Path) -> list[str]:
    return [w.replace("{tmp}", str(tmp)) for w in words]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "requirements.txt").write_text("requests==2.0.0\n")
    (tmp_path / "kev.json").write_text(KEV)
    return tmp_path


def _clean(result: object) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


@pytest.mark.parametrize(("words", "_read_only"), COMMANDS, ids=lambda v: str(v))
def test_unusable_sqlite_files(cli, workspace: Path, words: list[str], _read_only: bool) -> None:
    bad = workspace / "bad"
    bad.mkdir()
    for kind, db in _bad_databases(bad).items():
        before = sorted(p.name for p in bad.iterdir())
        result = cli(*_args(words, workspace), "--db", str(db))
        assert result.exit_code == 2, (kind, result.stderr)
        _clean(result)
        assert db.name in result.stderr, (kind, result.stderr)
        assert sorted(p.name for p in bad.iterdir()) == before, kind


@pytest.mark.parametrize(("words", "read_only"), COMMANDS, ids=lambda v: str(v))
def test_missing_database_is_not_created_by_a_read(
    cli, workspace: Path, words: list[str], read_only: bool
) -> None:
    target = workspace / "new" / "dir" / "store.db"
    result = cli(*_args(words, workspace), "--db", str(target))
    if read_only:
        assert result.exit_code == 2, result.stderr
        _clean(result)
        assert str(target) in result.stderr and "no " in result.stderr
        assert not (workspace / "new").exists()
    else:
        assert result.exit_code == 0, result.stderr
        assert target.is_file()


@pytest.mark.parametrize(("words", "_read_only"), COMMANDS, ids=lambda v: str(v))
def test_mistyped_and_unreachable_urls(
    cli, workspace: Path, words: list[str], _read_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    for url in ("postgresql:/host/db", "postgres:db", "sqlite:relative.db"):
        result = cli(*_args(words, workspace), "--db", url)
        assert result.exit_code == 2, (url, result.stderr)
        _clean(result)
        assert url in result.stderr and "not a database URL" in result.stderr
    assert sorted(p.name for p in workspace.iterdir()) == ["kev.json", "project"]
    refused = cli(*_args(words, workspace), "--db", "postgresql://steward:secret@127.0.0.1:1/x")
    assert refused.exit_code == 2, refused.stderr
    _clean(refused)
    assert "127.0.0.1:1/x" in refused.stderr and "secret" not in refused.stderr


def test_unknown_schema_revision(cli, tmp_path: Path) -> None:
    store = tmp_path / "cases.db"
    created = cli("case", "new", "t", "--db", str(store))
    assert created.exit_code == 0, created.stderr
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.close()
    for words in (["case", "list"], ["case", "new", "u"]):
        result = cli(*words, "--db", str(store))
        assert result.exit_code == 2, result.stderr
        _clean(result)
        assert "'ffffffffffff'" in result.stderr and str(store) in result.stderr


def test_read_only_database_file(cli, tmp_path: Path) -> None:
    store = tmp_path / "cases.db"
    assert cli("case", "new", "t", "--db", str(store))
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files")
    store.chmod(0o444)
    result = cli("case", "new", "u", "--db", str(store))
    assert result.exit_code == 2 and "read-only" in result.stderr
    _clean(result)


def test_vulndb_is_a_file_not_a_url(cli, tmp_path: Path) -> None:
    (tmp_path / "kev.json").write_text(KEV)
    result = cli("db", "import", "--kev", str(tmp_path / "kev.json"), "--db", "postgresql://h/db")
    assert result.exit_code == 2 and "local SQLite file, not a URL" in result.stderr
    _clean(result)


def test_default_store_missing_reads_as_empty_and_is_not_created(cli, tmp_path: Path) -> None:
    import os as _os

    home = Path(_os.environ["STEWARD_HOME"])
    assert not home.exists()
    listed = cli("case", "list", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    shown = cli("case", "show", "C-1")
    assert shown.exit_code == 2 and "no case" in shown.stderr
    assert not home.exists()
