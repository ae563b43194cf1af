"""One repository's assessment in a process of its own: ``python -m steward.scale.child REQUEST``.

The supervisor (:mod:`steward.scale.task`) starts one such process per repository, in a new
session, so that a repository that hangs, eats memory or crashes the interpreter costs one
``error`` row and nothing else: the supervisor kills the whole process group at the
deadline or past the disk budget, and resource limits set here bound memory (``RLIMIT_AS``),
the size of any one file written (``RLIMIT_FSIZE``, inherited by git) and CPU time.

Protocol (files, so no library that prints can corrupt it): ``REQUEST`` is a JSON file
``{"target": {...}, "workdir": DIR, "options": {...}, "limits": {...}, "result": FILE}``;
the process writes the row fragment to ``result`` (atomically) and its progress to stderr as
``stage NAME`` lines, which the supervisor reads to say where a killed run was.
"""

from __future__ import annotations

import contextlib
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

import orjson

MiB = 1024 * 1024


def _stage(name: str) -> None:
    sys.stderr.write(f"stage {name}\n")
    sys.stderr.flush()


def _limit(kind: int, value: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, hard))


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its supervisor dies (best effort)."""
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def checkout_name(key: str) -> str:
    """A directory name for the clone: the repository's own name (the assessment falls
    back to it as the project name), reduced to safe characters."""
    tail = key.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    name = re.sub(r"[^A-Za-z0-9._-]", "_", tail).lstrip(".-")[:100]
    return name or "repository"


def assess_target(request: dict[str, Any]) -> dict[str, Any]:
    """Clone (for a URL) and assess one target; the part of its row this process knows.

    Every failure is an ``error`` entry naming the stage; memory exhaustion included, also
    while the assessment code is still being imported.
    """
    state = {"stage": "start"}
    try:
        return _assess(request, state)
    except MemoryError:
        limit = request["limits"]["memory"] // MiB
        message = f"out of memory (limit {limit} MiB)"
    except RecursionError:
        message = "input nested too deeply"
    except Exception as exc:
        message = f"internal error: {type(exc).__name__}: {exc}"[:500]
    return {"error": {"stage": state["stage"], "message": message}}


def _assess(request: dict[str, Any], state: dict[str, str]) -> dict[str, Any]:
    from steward.errors import StewardError
    from steward.scale import checkout
    from steward.scale.targets import redact

    target = request["target"]
    options = request["options"]
    out: dict[str, Any] = {}
    try:
        if target["remote"]:
            state["stage"] = "clone"
            _stage("clone")
            dest = Path(request["workdir"]) / checkout_name(target["key"])
            timeout = request["limits"]["timeout"]
            done = checkout.clone(target["location"], dest, timeout=timeout)
            out["clone"] = {
                "filter": checkout.CLONE_FILTER,
                "bytes": done.bytes,
                "seconds": round(done.seconds, 3),
            }
            root = done.path
        else:
            root = Path(target["location"])
        state["stage"] = "assess"
        _stage("assess")
        from steward.evaluate import assess

        def progress(name: str, _done: int, _total: int) -> None:
            _stage(f"assess:{name}")

        assessment = assess(
            root,
            level=options.get("level"),
            only=set(options["only"]) if options.get("only") else None,
            role=options.get("role") or "project",
            progress=progress,
        )
    except (checkout.GitError, StewardError) as exc:
        return {**out, "error": {"stage": state["stage"], "message": redact(str(exc))}}
    if "clone" in out:  # the checkout with its history: the disk this repository needed
        out["clone"]["disk_bytes"] = checkout.disk_usage(root)
    out["revision"] = assessment.revision
    data = assessment.to_dict()
    data["root"] = redact(target["location"])  # not the temporary checkout
    out["assessment"] = data
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m steward.scale.child REQUEST.json\n")
        return 2
    request = orjson.loads(Path(argv[0]).read_bytes())
    limits = request["limits"]
    _die_with_parent()
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_AS, int(limits["memory"]))
    _limit(resource.RLIMIT_FSIZE, int(limits["disk"]))
    _limit(resource.RLIMIT_CPU, int(limits["timeout"]) + 5)
    started = time.monotonic()
    out = assess_target(request)
    out["child_seconds"] = round(time.monotonic() - started, 3)
    result = Path(request["result"])
    tmp = result.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(out))
    tmp.replace(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
