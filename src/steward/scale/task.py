"""The unit of work an executor runs: :func:`run_target` (one repository → one result row).

It runs wherever the executor puts it (a thread of the local pool, a Dask worker), so it
takes and returns plain JSON-compatible dicts and imports nothing heavy. Steps:

1. the repository's current snapshot, cheaply: ``git ls-remote`` for a URL, HEAD plus a
   digest of the working tree for a local checkout (:mod:`steward.scale.checkout`);
2. when that equals the snapshot the driver already has in its cache (``request["known"]``),
   stop: the row says ``unchanged`` and the driver fills in the cached assessment;
3. otherwise one assessment process (:mod:`steward.scale.child`) in a new session and a
   fresh work directory, supervised here: killed with its whole process group at the
   per-repository deadline (the time of step 1 included) or when the work directory grows
   past the disk budget; the work directory is removed whatever happens.

Disk use is therefore bounded by ``jobs x limits["disk"]`` at any moment.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

POLL_SECONDS = 0.2
DISK_CHECK_SECONDS = 1.0
#: set by the driver on an interrupt: supervisors in this process kill their assessment and
#: return at once (a Dask worker never sees it; its tasks finish or time out)
ABORT = threading.Event()


class Aborted(Exception):
    """The run was interrupted while this repository was being assessed."""


def _error(stage: str, message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"stage": stage, "message": message}}


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(timeout=10)


def _last_stage(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return "start"
    stages = [line[6:] for line in lines if line.startswith("stage ")]
    return stages[-1] if stages else "start"


def _tail(log: Path) -> str:
    try:
        lines = [x for x in log.read_text(errors="replace").splitlines() if x.strip()]
    except OSError:
        return ""
    lines = [x for x in lines if not x.startswith("stage ")]
    return lines[-1][:300] if lines else ""


def child_command(request_file: Path) -> list[str]:
    """The command of one assessment process."""
    return [sys.executable, "-m", "steward.scale.child", str(request_file)]


def _snapshot(target: dict[str, Any], timeout: float) -> tuple[str | None, str]:
    from steward.scale import checkout

    if target["remote"]:
        head = checkout.remote_head(target["location"], timeout=timeout)
        return head, head
    return checkout.local_snapshot(Path(target["location"]))


def _supervise(request: dict[str, Any], workdir: Path, deadline: float) -> dict[str, Any]:
    limits = request["limits"]
    req_file = workdir / "request.json"
    result = workdir / "result.json"
    log = workdir / "stderr.log"
    req_file.write_bytes(orjson.dumps({**request, "workdir": str(workdir), "result": str(result)}))
    with log.open("wb") as err:
        proc = subprocess.Popen(
            child_command(req_file),
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            start_new_session=True,
            close_fds=True,
        )
    next_disk = time.monotonic() + DISK_CHECK_SECONDS
    try:
        while True:
            try:
                proc.wait(timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if ABORT.is_set():
                _kill(proc)
                raise Aborted
            if now >= deadline:
                _kill(proc)
                stage = _last_stage(log)
                return _error(stage, f"timed out after {limits['timeout']:.0f} s ({stage})")
            if now >= next_disk:
                from steward.scale.checkout import disk_usage

                used = disk_usage(workdir)
                if used > limits["disk"]:
                    _kill(proc)
                    stage = _last_stage(log)
                    mib = limits["disk"] // (1024 * 1024)
                    return _error(stage, f"used more than the {mib} MiB disk budget ({stage})")
                next_disk = now + DISK_CHECK_SECONDS
    finally:
        if proc.returncode is None:
            _kill(proc)
    if result.is_file():
        out: dict[str, Any] = orjson.loads(result.read_bytes())
        return out
    stage = _last_stage(log)
    code = proc.returncode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        why = f"assessment process killed by {name}"
        if name in ("SIGXFSZ",):
            why += " (a file exceeded the disk budget)"
        elif name in ("SIGXCPU",):
            why += " (CPU time limit)"
    else:
        why = f"assessment process exited with code {code}"
    tail = _tail(log)
    return _error(stage, f"{why}: {tail}" if tail else why)


def run_target(request: dict[str, Any]) -> dict[str, Any]:
    """Assess one target; returns the row fragment (see :mod:`steward.scale.engine`).

    ``request``: ``{"target": {key, location, remote, name}, "known": snapshot | None,
    "options": {level, only, role}, "limits": {timeout, disk, memory}, "work_dir": DIR}``.
    Never raises for a problem of the repository: that is an ``error`` row. Raises
    :class:`Aborted` when the run is being interrupted.
    """
    from steward.scale.checkout import GitError

    started = time.monotonic()
    limits = request["limits"]
    deadline = started + float(limits["timeout"])
    target = request["target"]
    out: dict[str, Any]
    try:
        revision, snapshot = _snapshot(target, float(limits["timeout"]))
    except GitError as exc:
        out = _error("revision", str(exc))
    else:
        if snapshot == request.get("known"):
            out = {"status": "unchanged", "revision": revision, "snapshot": snapshot}
        else:
            out = _assess(request, deadline)
            assessed = out.get("revision") or revision
            out["snapshot"] = assessed if target["remote"] else snapshot
            out.setdefault("revision", revision)
    out["seconds"] = round(time.monotonic() - started, 3)
    return out


def _assess(request: dict[str, Any], deadline: float) -> dict[str, Any]:
    base = Path(request.get("work_dir") or tempfile.gettempdir())
    try:
        base.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="steward-many-", dir=base))
    except OSError as exc:
        return _error("start", f"cannot create a work directory in {base}: {exc.strerror}")
    try:
        out = _supervise(request, workdir, deadline)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if "error" in out and "status" not in out:
        out["status"] = "error"
    out.setdefault("status", "assessed")
    return out
