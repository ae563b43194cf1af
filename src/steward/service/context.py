"""What every request handler reaches: the store, the settings, the vulnerability database.

The vulnerability database handle is kept between matches (its parsed advisories are cached,
which makes a second 10k-component match about twice as fast) and reopened when the file
changes underneath (an import by a job or by ``steward db`` in another process). Its SQLite
connection belongs to one thread, so every use of it runs on the context's single matching
thread (:meth:`ServiceContext.on_matcher`); requests and jobs wait for their turn there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from steward.service.config import Settings
from steward.store.cases import CaseStore

T = TypeVar("T")


@dataclass
class ServiceContext:
    settings: Settings
    store: CaseStore
    #: serialises the service's matching runs against the vulnerability database file
    match_lock: threading.RLock = field(default_factory=threading.RLock)
    _matcher: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="steward-match")
    )
    _vulndb: Any = None
    _vulndb_stamp: tuple[int, ...] | None = None

    def vulndb_path(self) -> Path:
        from steward.store.vulndb import default_path

        return Path(self.settings.vulndb) if self.settings.vulndb else default_path()

    def _stamp(self, path: Path) -> tuple[int, ...]:
        stamp: list[int] = []
        for suffix in ("", "-wal"):
            try:
                info = Path(f"{path}{suffix}").stat()
            except OSError:
                stamp += [0, 0]
            else:
                stamp += [info.st_mtime_ns, info.st_size]
        return tuple(stamp)

    def on_matcher(self, work: Callable[[], T]) -> T:
        """Run ``work`` on the matching thread (the only one that touches :meth:`vulndb`)."""
        return self._matcher.submit(work).result()

    def vulndb(self) -> Any:
        """The open vulnerability database (only on the matching thread)."""
        from steward.store.vulndb import VulnDB

        path = self.vulndb_path()
        stamp = self._stamp(path)
        if self._vulndb is None or stamp != self._vulndb_stamp:
            if self._vulndb is not None:
                self._vulndb.close()
            self._vulndb = VulnDB(path)
            self._vulndb_stamp = self._stamp(path)
        return self._vulndb

    def forget_vulndb(self) -> None:
        """Close the cached handle (on the matching thread)."""

        def close() -> None:
            if self._vulndb is not None:
                self._vulndb.close()
                self._vulndb = None

        self.on_matcher(close)

    def close(self) -> None:
        self.forget_vulndb()
        self._matcher.shutdown(wait=True)


def context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx
