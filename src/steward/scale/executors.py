"""The executors bulk assessment runs on: the local pool, or a Dask distributed cluster.

Both are ``concurrent.futures.Executor`` objects and :func:`steward.scale.engine.run_many`
treats them alike.

- :func:`local_executor`: ``jobs`` worker threads, each supervising one assessment process
  at a time (:mod:`steward.scale.task`), i.e. a pool of ``jobs`` local processes. The
  processes are started per repository rather than kept, so a repository that crashes or
  hangs its interpreter cannot poison the next one; supervisors are threads rather than
  pool processes because they only wait, and because an interrupt then reaches all of them
  at once.
- :func:`dask_executor`: a ``distributed.Client`` connected to ``tcp://HOST:PORT`` and its
  ``get_executor()`` (tasks not marked pure, so two identical requests both run). Dask is
  the optional ``dask`` extra (``pip install 'steward-cra[dask]'``). The workers must run the
  same Steward version as the driver; this is checked on connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from steward.errors import UsageError


@dataclass
class Pool:
    """An executor, how many tasks it runs at once, and a description for messages."""

    executor: Executor
    slots: int
    description: str


@contextlib.contextmanager
def local_executor(jobs: int) -> Iterator[Pool]:
    """A local pool of ``jobs`` assessment processes (see the module docstring)."""
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="steward-many")
    try:
        yield Pool(executor, jobs, f"{jobs} local process{'es' if jobs > 1 else ''}")
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _worker_versions() -> dict[str, str]:
    from steward import __version__
    from steward.catalog.loader import load_catalog

    return {"steward": __version__, "catalog": load_catalog().version}


@contextlib.contextmanager
def dask_executor(address: str, *, timeout: float = 20.0) -> Iterator[Pool]:
    """The executor of a Dask distributed cluster whose scheduler is at ``address``."""
    try:
        import distributed
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask distributed: pip install 'steward-cra[dask]'",
            source="--scheduler",
        ) from None
    try:
        make_client: Any = distributed.Client  # partly typed: used through Any
        client: Any = make_client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a bad address ...
        raise UsageError(
            f"cannot connect to the Dask scheduler {address}: {exc}", source="--scheduler"
        ) from None
    try:
        ours = _worker_versions()
        try:
            theirs: dict[str, Any] = client.run(_worker_versions)
        except Exception as exc:  # e.g. Steward not installed on a worker
            raise UsageError(
                f"the Dask workers at {address} cannot run Steward: {type(exc).__name__}: {exc}",
                source="--scheduler",
            ) from None
        if not theirs:
            raise UsageError(f"the Dask cluster at {address} has no workers", source="--scheduler")
        wrong = {w: v for w, v in theirs.items() if v != ours}
        if wrong:
            worker, versions = next(iter(wrong.items()))
            raise UsageError(
                f"Dask worker {worker} runs Steward {versions.get('steward')} (catalog "
                f"{versions.get('catalog')}), this run {ours['steward']} (catalog "
                f"{ours['catalog']}): install the same version on every worker",
                source="--scheduler",
            )
        threads = sum(client.nthreads().values())
        executor = client.get_executor(pure=False)
        workers = len(theirs)
        yield Pool(executor, threads, f"Dask at {address} ({workers} workers, {threads} threads)")
    finally:
        client.close()
