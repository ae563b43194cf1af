"""Fixtures for the hostile-input tests (issue 18): a sandbox, input kinds, a guarded runner.

- ``sandbox``: a fresh tree per test::

      base/
        root/               the scanned project (a good requirements.txt: flask==3.0.0)
        outside/secret.txt  the canary: its content must never appear in any output
        out/                where outputs go (``{out}`` in a row is ``out/result``)
        state/              databases (``{db}`` is ``state/steward.db``)
        home/               STEWARD_HOME, STEWARD_CACHE and HOME point here

- ``make_input(kind, path)``: materialise one input kind of :data:`cases.KINDS` at ``path``.
- ``run_guarded``: run ``steward`` in-process with a hard time limit (a command that blocks on
  a FIFO fails the test instead of hanging the suite).
- ``snapshot(base)``: every path with type, size and mtime, to prove nothing else changed.

The machine's ``/dev/null``, ``/dev/full`` and ``/dev/zero`` are never written by these tests;
an autouse check fails any test after which one of them is no longer a character device.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

CANARY = "hostilecanary9f3e"
CANARY_LINE = f"{CANARY}==6.6.6\n"
GOOD_REQUIREMENTS = "flask==3.0.0\n"
HUGE_LINE_BYTES = 2 * 1024 * 1024
DEVICES = ("/dev/null", "/dev/full", "/dev/zero")


class CommandTimeout(BaseException):
    """Raised in the test's thread when a command runs over its time limit (e.g. blocked)."""


@dataclass
class Sandbox:
    base: Path

    @property
    def root(self) -> Path:
        return self.base / "root"

    @property
    def outside(self) -> Path:
        return self.base / "outside"

    @property
    def canary_file(self) -> Path:
        return self.outside / "secret.txt"

    @property
    def out(self) -> Path:
        return self.base / "out" / "result"

    @property
    def db(self) -> Path:
        return self.base / "state" / "steward.db"


def build_sandbox(base: Path) -> Sandbox:
    box = Sandbox(base)
    for sub in ("root", "outside", "out", "state", "home"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    (box.root / "requirements.txt").write_text(GOOD_REQUIREMENTS)
    box.canary_file.write_text(CANARY_LINE)
    return box


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    box = build_sandbox(tmp_path / "box")
    home = box.base / "home"
    monkeypatch.setenv("STEWARD_HOME", str(home / "data"))
    monkeypatch.setenv("STEWARD_CACHE", str(home / "cache"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("STEWARD_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(box.base / "out")
    return box


def make_input(kind: str, path: Path, box: Sandbox) -> None:
    """Create input kind ``kind`` (one of :data:`cases.KINDS`) at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "missing":
        return
    if kind == "directory":
        path.mkdir()
        (path / "placeholder.txt").write_text("x\n")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")  # read-only use: a device reached through a symlink
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "non_utf8":
        path.write_bytes(b"caf\xe9==1.0\n\xff\xfe\xfa broken\n")
    elif kind == "huge_line":
        path.write_bytes(b"a" * HUGE_LINE_BYTES)
    elif kind == "symlink_out":
        path.symlink_to(box.canary_file)
    elif kind == "symlink_loop":
        path.symlink_to(path.name)
    elif kind == "unreadable":
        path.write_text(CANARY_LINE)
        path.chmod(0)
    else:  # pragma: no cover - a typo in cases.py
        raise ValueError(f"unknown input kind {kind!r}")


@dataclass(frozen=True)
class Entry:
    kind: str
    size: int
    mtime_ns: int
    target: str


def snapshot(base: Path) -> dict[str, Entry]:
    """Every path under ``base`` (symlinks not followed) with its type, size, mtime, target."""
    found: dict[str, Entry] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        for name in [*dirnames, *filenames]:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                found[p] = Entry("link", 0, 0, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                found[p] = Entry("dir", 0, 0, "")
            elif stat.S_ISFIFO(st.st_mode):
                found[p] = Entry("fifo", 0, 0, "")
            else:
                found[p] = Entry("file", st.st_size, st.st_mtime_ns, "")
    return found


def changed_paths(before: dict[str, Entry], after: dict[str, Entry]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run_guarded(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run ``steward ARGS`` in-process; a command still running after ``limit`` s fails."""
    from steward.cli.app import main

    def run(*args: str, limit: int = 20, stdin: str = "") -> Outcome:
        def on_alarm(signum: int, frame: FrameType | None) -> None:
            raise CommandTimeout(f"steward {' '.join(args)} ran over {limit}s (blocked?)")

        previous: Any = signal.signal(signal.SIGALRM, on_alarm)
        saved_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        capsys.readouterr()
        signal.alarm(limit)
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:  # pragma: no cover - main always exits
            code = 0
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            sys.stdin = saved_stdin
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def _device_state() -> dict[str, bool]:
    return {d: stat.S_ISCHR(os.lstat(d).st_mode) for d in DEVICES if os.path.lexists(d)}


@pytest.fixture(autouse=True)
def _devices_stay_devices() -> Iterator[None]:
    before = _device_state()
    yield
    after = _device_state()
    assert after == before, f"a system device was replaced: {before} -> {after}"


def is_root() -> bool:
    return os.geteuid() == 0
