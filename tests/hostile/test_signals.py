"""Signals (issue 18, kind 9): SIGINT/SIGTERM during a write leave the old or the new file.

Real ``steward`` processes are interrupted at several moments of ``sbom -o`` and ``db import``;
afterwards the output is either the old content or a complete new one, and no temporary file
is left behind. An in-process test interrupts the writer deterministically mid-write.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from steward.safeio import atomic_writer

STEWARD = [sys.executable, "-m", "steward"]


def _env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "STEWARD_HOME": str(tmp / "home"),
        "STEWARD_CACHE": str(tmp / "cache"),
        "NO_COLOR": "1",
    }


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith((".tmp", ".bak")))


def _interrupt(
    args: list[str], env: dict[str, str], signum: int, delay: float, watch: Path | None = None
) -> int:
    """Run ``args`` and send ``signum`` after ``delay`` s, or (``watch``) as soon as a
    temporary file appears in that directory: the moment the output is being written."""
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        if watch is not None and any(p.name.endswith(".tmp") for p in watch.iterdir()):
            break
        time.sleep(0.0005 if watch is not None else 0.05)
    proc.send_signal(signum)
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - a hang is the failure
        proc.kill()
        raise
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    return proc.returncode


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lockfile large enough that the SBOM takes a moment to build and write (~8 MB)."""
    root = tmp_path_factory.mktemp("big")
    lines = [f"package-{i:06d}==1.{i % 97}.{i % 13}" for i in range(40_000)]
    (root / "requirements.txt").write_text("\n".join(lines) + "\n")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sbom_output_is_old_or_new(signum: int, big_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "bom.json"
    out.parent.mkdir()
    out.write_text('{"old": true}\n')
    env = _env(tmp_path)
    args = [*STEWARD, "sbom", str(big_project), "-o", str(out)]
    codes = set()
    for _ in range(3):  # interrupted while the temporary file is being written
        codes.add(_interrupt(args, env, signum, 120, watch=out.parent))
        content = out.read_text()
        doc = json.loads(content)  # never half a file
        assert doc == {"old": True} or len(doc["components"]) == 40_000
        assert _leftovers(out.parent) == [], "a temporary file was left behind"
    # finished, interrupted (130/143), or killed before Python installed the handler (-signum)
    assert codes <= {0, 130, 128 + signum, -signum}, codes


def _osv_dir(base: Path, count: int) -> Path:
    folder = base / "osv"
    folder.mkdir(parents=True)
    for i in range(count):
        record = {
            "schema_version": "1.6.0",
            "id": f"PYSEC-2099-{i}",
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": f"package-{i:06d}"},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}
                    ],
                }
            ],
        }
        (folder / f"PYSEC-2099-{i}.json").write_text(json.dumps(record))
    return folder


def _status(db: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [*STEWARD, "db", "status", "--db", str(db), "--json"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_db_import_is_all_or_nothing(signum: int, tmp_path: Path) -> None:
    env = _env(tmp_path)
    small = _osv_dir(tmp_path / "small", 3)
    big = _osv_dir(tmp_path / "big", 6000)
    db = tmp_path / "state" / "vulns.db"
    db.parent.mkdir()
    first = subprocess.run(
        [*STEWARD, "db", "import", str(small), "--db", str(db)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    before = json.dumps(_status(db, env), sort_keys=True)
    for delay in (3.0, 6.0):  # after start-up (a signal during it is Python's, not ours)
        code = _interrupt([*STEWARD, "db", "import", str(big), "--db", str(db)], env, signum, delay)
        after = _status(db, env)
        if code != 0:  # interrupted: exactly the old database
            assert json.dumps(after, sort_keys=True) == before
        assert _leftovers(db.parent) == []


def test_an_interrupted_writer_keeps_the_old_file(tmp_path: Path) -> None:
    from steward.cli.app import Terminated

    target = tmp_path / "out.json"
    target.write_text("old\n")
    with pytest.raises(Terminated), atomic_writer(target) as fh:
        fh.write(b"half of the new")
        raise Terminated(signal.SIGTERM)
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, b"steward: terminated"), (signal.SIGINT, 130, b"steward: interrupted")],
)
def test_a_case_write_waiting_for_the_lock_is_interrupted_cleanly(
    signum: int, code: int, said: bytes, tmp_path: Path
) -> None:
    """A `case event` waiting for another writer's lock, then SIGTERM or Ctrl-C: exit 143 or
    130 with one line (typer's own silent exit 130 for both was passed through), nothing
    recorded, and the case store still takes the event afterwards."""
    import sqlite3
    from contextlib import closing

    env = {**_env(tmp_path), "STEWARD_DB": str(tmp_path / "cases.sqlite")}
    new = subprocess.run(
        [*STEWARD, "case", "new", "Lock test"], env=env, capture_output=True, check=True
    )
    case_id = new.stdout.decode().strip()
    event = [*STEWARD, "case", "event", case_id, "note", "--data", "text=interrupted"]

    def notes() -> int:
        with closing(sqlite3.connect(tmp_path / "cases.sqlite")) as conn:
            return int(
                conn.execute("SELECT count(*) FROM case_events WHERE kind = 'note'").fetchone()[0]
            )

    with closing(sqlite3.connect(tmp_path / "cases.sqlite", isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        proc = subprocess.Popen(event, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(4.0)  # started, and waiting for the lock
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
        holder.execute("ROLLBACK")
    assert proc.returncode == code, stderr
    assert stderr.strip().splitlines() == [said]
    assert notes() == 0
    subprocess.run(event, env=env, capture_output=True, check=True)
    assert notes() == 1


_SIGNAL_AT_COMMIT = """
import os, signal, sqlite3, sys
from steward.store import sqlite_cases

class Conn(sqlite3.Connection):
    def execute(self, sql, *args):
        result = super().execute(sql, *args)
        if sql == "COMMIT" and getattr(self, "wrote", False):
            os.kill(os.getpid(), signal.SIGTERM)  # lands right after the write committed
        if sql.startswith("INSERT"):
            self.wrote = True
        return result

real = sqlite3.connect
sqlite_cases.sqlite3.connect = lambda *a, **k: real(*a, factory=Conn, **k)
from steward.cli.launch import main
sys.argv = ["steward", *sys.argv[1:]]
main()
"""


def test_a_signal_after_a_case_write_committed_does_not_claim_it_was_not_made(
    tmp_path: Path,
) -> None:
    """SIGTERM landing just after a case event's commit (fast path): the event is recorded,
    so the command must not exit 143 (which promises the old state); it finishes (0)."""
    import sqlite3
    from contextlib import closing

    env = {**_env(tmp_path), "STEWARD_DB": str(tmp_path / "cases.sqlite")}
    new = subprocess.run(
        [*STEWARD, "case", "new", "Commit test"], env=env, capture_output=True, check=True
    )
    case_id = new.stdout.decode().strip()
    script = tmp_path / "at_commit.py"
    script.write_text(_SIGNAL_AT_COMMIT)
    done = subprocess.run(
        [sys.executable, str(script), "case", "event", case_id, "note", "--data", "text=x"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    with closing(sqlite3.connect(tmp_path / "cases.sqlite")) as conn:
        notes = conn.execute("SELECT count(*) FROM case_events WHERE kind = 'note'").fetchone()
    assert notes[0] == 1
    assert done.returncode == 0, done.stderr
