"""Fixtures shared by the whole test suite.

- ``shared_data``: the real corpora in ../shared/data (``STEWARD_SHARED_DATA`` overrides);
  tests that need them are skipped, with the reason, where the directory is missing.
- ``postgres_url`` (per session) and ``fresh_postgres_url`` (per test): a new, empty
  PostgreSQL database created on the server named by ``STEWARD_TEST_POSTGRES_URL`` and
  dropped afterwards; tests are skipped when the variable is unset (``.ci/run`` sets it).
- ``cli``: runs ``steward`` in-process and returns exit code, stdout and stderr.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _shared_data_dir() -> Path:
    env = os.environ.get("STEWARD_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = _shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora not found at {path} (set STEWARD_SHARED_DATA)")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the real user data and cache directories."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("STEWARD_HOME", str(base / "data"))
    monkeypatch.setenv("STEWARD_CACHE", str(base / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _postgres_admin() -> tuple[str, Any]:
    base = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("STEWARD_TEST_POSTGRES_URL is not set (PostgreSQL tests run in .ci/run)")
    from sqlalchemy.engine import make_url

    from steward.store.engine import normalise_url

    admin = make_url(normalise_url(base))
    return admin.set(drivername="postgresql").render_as_string(hide_password=False), admin


@contextlib.contextmanager
def _fresh_postgres_database() -> Iterator[str]:
    import psycopg

    conninfo, admin = _postgres_admin()
    name = f"steward_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One fresh PostgreSQL database for the whole session."""
    with _fresh_postgres_database() as url:
        yield url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (dropped afterwards)."""
    with _fresh_postgres_database() as url:
        yield url


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the steward CLI in-process: ``cli("catalog", "list", "--format", "json")``."""
    from steward.cli.app import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
