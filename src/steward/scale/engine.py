"""The driver of bulk assessment: targets in, one row per repository out, over any Executor.

:func:`run_many` submits :func:`steward.scale.task.run_target` for each target to a
``concurrent.futures.Executor`` — the local pool (:mod:`steward.scale.executors`) or a Dask
``Client``'s executor, the same code path — keeping at most ``window`` tasks in flight so a
million targets never sit in memory as futures. As each finishes, the cache is consulted or
filled (:mod:`steward.scale.cache`, the only place results are kept between runs) and the
row goes to the sinks. A failing repository is an ``error`` row; nothing a repository does
stops the run.

Row fields (JSON Lines, one object per repository, in completion order):

- ``target``: the repository's key (normalised URL or absolute path; for an ``unresolved``
  SBOM component, its purl); ``name``; ``location`` (what was cloned or read);
  ``sources`` (where it was listed); ``components`` and ``via`` (SBOM input only);
- ``status``: ``assessed``, ``cached`` (unchanged since the cached assessment, which is
  reused), ``error`` or ``unresolved`` (an SBOM component without a known repository);
- ``revision`` (the commit), ``snapshot`` (the cache identity), ``error``
  (``{"stage", "message"}``), ``seconds`` (wall time of the task), ``clone``
  (``{"filter", "bytes", "seconds", "disk_bytes"}`` for a fresh clone: bytes of ``.git``
  right after cloning, seconds, and bytes of the whole checkout after the assessment);
- ``catalog_version``, ``steward_version``, ``options`` (role, level, only): the context;
- ``assessment``: the ``steward assess --format json`` document (the JSON Lines sinks can
  shorten it to its summary, see :func:`steward.scale.sinks.summarise`);
- ``upload``: what the portfolio service answered, with ``--upload``
  (:mod:`steward.scale.upload`).

Sinks receive the same row object in the order given, so one may add to it (the upload
result) before the next writes it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any

from steward.scale.cache import Cache, Context
from steward.scale.sinks import Sink
from steward.scale.targets import Target, redact

GiB = 1024 * 1024 * 1024
STATUSES = ("assessed", "cached", "error", "unresolved")


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-repository limits: wall-clock seconds (revision look-up, clone and assessment),
    bytes of disk in its work directory, bytes of address space of its process."""

    timeout: float = 600.0
    disk: int = 2 * GiB
    memory: int = 8 * GiB


@dataclass
class Run:
    """What a run did: rows by status, and the targets skipped as already done."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    interrupted: bool = False


def unresolved_row(ident: str, reason: str, source: str, context: Context) -> dict[str, Any]:
    """The row of an SBOM component whose repository is not known."""
    return {
        "target": ident,
        "name": ident,
        "status": "unresolved",
        "error": {"stage": "resolve", "message": reason},
        "sources": [source],
        "components": [ident],
        **_context_fields(context),
    }


def _context_fields(context: Context) -> dict[str, Any]:
    return {
        "catalog_version": context.catalog_version,
        "steward_version": context.steward_version,
        "options": context.options,
    }


def _row(target: Target, result: dict[str, Any], context: Context) -> dict[str, Any]:
    row: dict[str, Any] = {
        "target": target.key,
        "name": target.label(),
        "status": result.get("status", "error"),
        "revision": result.get("revision"),
        "snapshot": result.get("snapshot"),
        "error": result.get("error"),
        "seconds": result.get("seconds"),
        "clone": result.get("clone"),
        "location": redact(target.location),
        "sources": list(target.sources),
        "components": list(target.components),
        "via": target.via,
        **_context_fields(context),
    }
    assessment = result.get("assessment")
    row["assessment"] = assessment if isinstance(assessment, dict) else None
    return row


def _request(
    target: Target, known: str | None, context: Context, limits: Limits, work_dir: str | None
) -> dict[str, Any]:
    return {
        "target": {
            "key": target.key,
            "location": target.location,  # what git is given, credentials included
            "remote": target.remote,
            "name": target.name,
        },
        "known": known,
        "options": context.options,
        "limits": {"timeout": limits.timeout, "disk": limits.disk, "memory": limits.memory},
        "work_dir": work_dir,
    }


def run_many(
    targets: Iterable[Target],
    executor: Executor,
    *,
    context: Context,
    sinks: list[Sink],
    cache: Cache | None = None,
    limits: Limits | None = None,
    window: int = 4,
    done: frozenset[str] | set[str] = frozenset(),
    work_dir: str | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> Run:
    """Assess every target not in ``done``; write one row per target to every sink.

    ``window``: tasks in flight at most (about twice the executor's workers). ``done``:
    target keys a resumed journal already has. ``on_row(row)`` is called after the sinks
    (progress, summary). ``KeyboardInterrupt`` (or a sink failing) cancels what has not
    started, tells the local supervisors to kill their assessments, and propagates (rows
    written so far stay).
    """
    from steward.scale.task import ABORT, Aborted, run_target

    limits = limits or Limits()
    run = Run()
    ABORT.clear()
    inflight: dict[Future[dict[str, Any]], Target] = {}
    queue = iter(targets)
    exhausted = False

    def emit(row: dict[str, Any]) -> None:
        for sink in sinks:
            sink.write(row)
        run.counts[row["status"]] += 1
        if on_row is not None:
            on_row(row)

    def submit(target: Target, known: str | None) -> None:
        request = _request(target, known, context, limits, work_dir)
        inflight[executor.submit(run_target, request)] = target

    def fill() -> None:
        nonlocal exhausted
        while not exhausted and len(inflight) < window:
            target = next(queue, None)
            if target is None:
                exhausted = True
                return
            if target.key in done:
                run.skipped += 1
                continue
            known = cache.known(target.key, context) if cache is not None else None
            submit(target, known)

    def finish(future: Future[dict[str, Any]], target: Target) -> None:
        try:
            result = future.result()
        except Aborted:
            return
        except Exception as exc:  # the executor or a worker failed, not the repository
            result = {
                "status": "error",
                "error": {"stage": "executor", "message": f"{type(exc).__name__}: {exc}"},
            }
        status = result.get("status")
        if status == "unchanged":
            cached = cache.get(target.key, str(result.get("snapshot")), context) if cache else None
            if cached is None:  # gone from the cache meanwhile: assess after all
                submit(target, None)
                return
            result = {**result, "status": "cached", "assessment": cached}
        elif status == "assessed":
            assessment = result.get("assessment") or {}
            worker_catalog = assessment.get("catalog_version")
            if worker_catalog != context.catalog_version:
                result = {
                    "status": "error",
                    "error": {
                        "stage": "assess",
                        "message": f"the worker assessed against catalog {worker_catalog}, "
                        f"this run uses {context.catalog_version}",
                    },
                }
            elif cache is not None and result.get("snapshot"):
                cache.put(
                    target.key,
                    str(result["snapshot"]),
                    context,
                    assessment,
                    revision=result.get("revision"),
                    stored_at=time.time(),
                )
        emit(_row(target, result, context))

    try:
        fill()
        while inflight:
            finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for future in finished:
                target = inflight.pop(future)
                finish(future, target)
            fill()
    except BaseException as exc:  # an interrupt, or a sink that cannot write: stop the rest
        run.interrupted = isinstance(exc, KeyboardInterrupt)
        ABORT.set()
        for future in inflight:
            future.cancel()
        raise
    return run


def emit_unresolved(
    unresolved: list[tuple[str, str]],
    *,
    source: str,
    context: Context,
    sinks: list[Sink],
    done: frozenset[str] | set[str] = frozenset(),
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> int:
    """Write the rows of SBOM components without a repository (those not in ``done``)."""
    count = 0
    for ident, reason in unresolved:
        if ident in done:
            continue
        row = unresolved_row(ident, reason, source, context)
        for sink in sinks:
            sink.write(row)
        if on_row is not None:
            on_row(row)
        count += 1
    return count
