"""Where bulk-assessment rows go as they complete: JSON Lines on stdout or in a file.

A sink has ``write(row)`` (called once per finished repository, in completion order) and
``close(complete)``. Rows are dicts (see :mod:`steward.scale.engine` for the fields).

:class:`JsonlFile` is also the journal that makes a run resumable. Rows are appended to
``FILE.partial``, one complete line per ``write`` (a single ``write(2)`` of the encoded line,
flushed; fsynced at least every few seconds); when the run completes the journal is
renamed over ``FILE``, so ``FILE`` is never half-written. An interrupted run leaves
``FILE.partial``; ``--resume`` reads it (a torn last line, from a crash mid-write, is cut
off), skips the repositories it already has a row for, and appends the rest. A journal
written with another catalog version, Steward version or options is refused rather than
mixed. ``FILE`` and the journal must be regular files or new names: a symlink, device, FIFO
or directory is never written to or replaced.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import orjson

from steward.errors import InputError

FSYNC_SECONDS = 5.0


class Sink(Protocol):
    """Receives result rows as they complete."""

    def write(self, row: dict[str, Any]) -> None: ...

    def close(self, complete: bool) -> None: ...


def encode(row: dict[str, Any]) -> bytes:
    return orjson.dumps(row) + b"\n"


def summarise(assessment: dict[str, Any]) -> dict[str, Any]:
    """The summary form of an assessment document (``detail="summary"``)."""
    keep = ("project", "root", "revision", "timestamp", "catalog_version", "role", "level",
            "level_achieved", "summary", "levels", "next_level", "repository", "forge")  # fmt: skip
    out = {k: assessment.get(k) for k in keep if k in assessment}
    out["findings"] = [
        {k: f.get(k) for k in ("requirement_id", "title", "level", "must", "status")}
        for f in assessment.get("findings", [])
    ]
    return out


def shaped(row: dict[str, Any], detail: str) -> dict[str, Any]:
    """``row`` as written with ``--detail`` (``full``: as is; ``summary``: see above)."""
    assessment = row.get("assessment")
    if detail == "full" or not isinstance(assessment, dict):
        return row
    return {**row, "assessment": summarise(assessment)}


class JsonlStdout:
    """Rows as JSON Lines on stdout, flushed one by one (for pipes: ``| jq``)."""

    def __init__(self, *, detail: str = "full") -> None:
        self.detail = detail

    def write(self, row: dict[str, Any]) -> None:
        sys.stdout.buffer.write(encode(shaped(row, self.detail)))
        sys.stdout.buffer.flush()

    def close(self, complete: bool) -> None:
        sys.stdout.flush()


def _check_regular_or_new(path: Path) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", source=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (refusing to write to or replace it)", source=path)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _cut_torn_tail(path: Path) -> None:
    """Truncate ``path`` after its last newline (a line cut short by a crash)."""
    with path.open("r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            chunk = fh.read(step)
            at = chunk.rfind(b"\n")
            if at >= 0:
                end = pos - step + at + 1
                if end != size:
                    fh.truncate(end)
                return
            pos -= step
        if size:
            fh.truncate(0)


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a journal (a torn last line is cut off first); bad lines are an
    :class:`InputError` naming the line."""
    _cut_torn_tail(path)
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"not a JSON line: {exc}", source=path, line=number) from None
            if not isinstance(row, dict) or not isinstance(row.get("target"), str):
                raise InputError("not an assess-many row", source=path, line=number)
            yield row


class JsonlFile:
    """Rows as JSON Lines into ``path`` through the resumable journal ``path.partial``."""

    def __init__(self, path: Path, *, resume: bool, detail: str = "full") -> None:
        self.path = path
        self.detail = detail
        self.journal = journal_path(path)
        _check_regular_or_new(path)
        _check_regular_or_new(self.journal)
        self.resuming = resume and self.journal.exists()
        if self.journal.exists() and not resume:
            raise InputError(
                "an interrupted run left this journal: continue it with --resume, or delete it",
                source=self.journal,
            )
        self._fd: int | None = None
        self._synced = time.monotonic()

    def previous(self) -> Iterator[dict[str, Any]]:
        """Rows of the journal being resumed (nothing for a new run)."""
        if self.resuming:
            yield from read_journal(self.journal)

    def open(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        if not self.resuming:
            flags |= os.O_TRUNC
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.journal, flags, 0o644)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", source=self.journal) from None
        if not stat.S_ISREG(os.fstat(self._fd).st_mode):
            os.close(self._fd)
            self._fd = None
            raise InputError("not a regular file", source=self.journal)

    def write(self, row: dict[str, Any]) -> None:
        if self._fd is None:
            self.open()
        assert self._fd is not None
        view = memoryview(encode(shaped(row, self.detail)))
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if time.monotonic() - self._synced > FSYNC_SECONDS:
                os.fsync(self._fd)
                self._synced = time.monotonic()
        except OSError as exc:  # disk full, quota: the journal keeps the rows written so far
            raise InputError(f"cannot write: {exc.strerror or exc}", source=self.journal) from None

    def close(self, complete: bool) -> None:
        if self._fd is None and complete:
            self.open()  # an empty run still produces its (empty) file
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
        if complete:
            _check_regular_or_new(self.path)
            self.journal.replace(self.path)
